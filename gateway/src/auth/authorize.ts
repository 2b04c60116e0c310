import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { identityShape, type Identity } from '@io/auth/identity';
import type { AccessRules, Requirement } from './access-rules';

/** One field of an operation that the SDL protects, with everything it requires (its own and its type's). */
interface Guarded {
  coordinate: string;
  requirements: Requirement[];
}

/** An operation's guarded fields, and the verdict for each identity shape seen so far. */
interface Checked {
  guarded: Guarded[];
  verdicts: Map<string, GraphQLError | null>;
}

/** Verdicts kept per operation: identity shapes are few (a handful of roles), this bounds odd ones. */
const maxVerdicts = 64;

function satisfies(scopes: ReadonlySet<string>, requirement: Requirement): boolean {
  return requirement.scopes.every((anyOf) => anyOf.some((allOf) => allOf.every((scope) => scopes.has(scope))));
}

function describe(requirement: Requirement): string {
  return requirement.scopes.map((anyOf) => anyOf.map((allOf) => allOf.join(' and ')).join(' or ')).join('; and ');
}

const unauthenticated = (fields: string[]) =>
  new GraphQLError(
    `${fields.join(', ')} ${fields.length > 1 ? 'require' : 'requires'} authentication: send a bearer token`,
    {
      extensions: { code: 'UNAUTHENTICATED', fields, http: { status: 401 } },
    },
  );

const forbidden = (denied: Guarded[]) =>
  new GraphQLError(
    `not allowed: ${denied
      .map(
        ({ coordinate, requirements }) =>
          `${coordinate} requires the scope ${requirements.map(describe).join('; and ')}`,
      )
      .join('; ')}`,
    { extensions: { code: 'FORBIDDEN', fields: denied.map(({ coordinate }) => coordinate), http: { status: 403 } } },
  );

/**
 * Checks an operation against the SDL's directives before it is planned: a TypeInfo walk over the
 * operation and the fragments it reaches (each fragment once). The walk is done once per document
 * and operation; the verdict once per identity shape (scopes, customer or not), so a repeated
 * operation costs two map lookups.
 */
export class Authorizer {
  private readonly checked = new WeakMap<DocumentNode, Map<string, Checked>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: AccessRules,
  ) {}

  /** The error that refuses the operation, or null when the identity may run it. */
  check(
    document: DocumentNode,
    operationName: string | null | undefined,
    identity: Identity | undefined,
  ): GraphQLError | null {
    let byOperation = this.checked.get(document);
    if (!byOperation) {
      byOperation = new Map();
      this.checked.set(document, byOperation);
    }
    const key = operationName ?? '';
    let checked = byOperation.get(key);
    if (!checked) {
      const operation = getOperationAST(document, operationName);
      checked = { guarded: operation ? this.guardedFields(document, operation) : [], verdicts: new Map() };
      byOperation.set(key, checked);
    }
    if (checked.guarded.length === 0) return null;
    const shape = identityShape(identity);
    let verdict = checked.verdicts.get(shape);
    if (verdict === undefined) {
      verdict = this.verdict(checked.guarded, identity);
      if (checked.verdicts.size >= maxVerdicts) checked.verdicts.clear();
      checked.verdicts.set(shape, verdict);
    }
    return verdict;
  }

  private verdict(guarded: Guarded[], identity: Identity | undefined): GraphQLError | null {
    if (!identity) return unauthenticated(guarded.map(({ coordinate }) => coordinate));
    const scopes = new Set(identity.scopes);
    // Each denied field with only the requirements it failed, so the message names just the missing scopes.
    const denied = guarded
      .map(({ coordinate, requirements }) => ({
        coordinate,
        requirements: requirements.filter((requirement) => !satisfies(scopes, requirement)),
      }))
      .filter(({ requirements }) => requirements.length > 0);
    return denied.length > 0 ? forbidden(denied) : null;
  }

  private guardedFields(document: DocumentNode, operation: OperationDefinitionNode): Guarded[] {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    const guarded = new Map<string, Guarded>();
    const walked = new Set<string>();
    const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
    const typeInfo = new TypeInfo(this.schema);
    const visitor = visitWithTypeInfo(typeInfo, {
      Field: () => {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        const coordinate = `${parent.name}.${field.name}`;
        if (guarded.has(coordinate)) return;
        const requirements = [this.rules.get(coordinate), this.rules.get(getNamedType(field.type).name)].filter(
          (requirement): requirement is Requirement => requirement !== undefined,
        );
        if (requirements.length > 0) guarded.set(coordinate, { coordinate, requirements });
      },
      FragmentSpread: (spread) => {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !walked.has(name)) {
          walked.add(name);
          pending.push(fragment);
        }
      },
    });
    while (pending.length > 0) visit(pending.pop()!, visitor);
    return [...guarded.values()];
  }
}
