import {
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
} from 'graphql';

/**
 * What the subgraphs' SDL asks of a caller, read from the composed supergraph: federation's
 * `@authenticated` and `@requiresScopes` (https://specs.apollo.dev/authenticated/v0.1,
 * https://specs.apollo.dev/requiresScopes/v0.1). `@apollo/gateway` does not enforce them (only
 * Apollo's commercial router does); this gateway does, in authorize.ts.
 */
export interface Requirement {
  authenticated: boolean;
  /**
   * Every entry must hold (one per directive met on the field or its type); an entry holds when the
   * caller has all the scopes of at least one of its sets (the directive's `[[A, B], [C]]` = A and B, or C).
   */
  scopes: readonly (readonly (readonly string[])[])[];
}

/** Requirements by schema coordinate: `Type.field` for fields, `Type` for types. */
export type AccessRules = ReadonlyMap<string, Requirement>;

const specs = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
} as const;

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The names the supergraph gives the two directives (a `@link(as:)` may rename them). */
function directiveNames(document: DocumentNode): { authenticated: string; requiresScopes: string } {
  const names = { authenticated: 'authenticated', requiresScopes: 'requiresScopes' };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArgument(link, 'url') ?? '';
      for (const key of Object.keys(specs) as (keyof typeof specs)[])
        if (url.startsWith(specs[key])) names[key] = stringArgument(link, 'as') ?? key;
    }
  }
  return names;
}

function scopesArgument(directive: ConstDirectiveNode): string[][] {
  const value = directive.arguments?.find((argument) => argument.name.value === 'scopes')?.value;
  if (value?.kind !== Kind.LIST) return [];
  return value.values.map((set) =>
    set.kind === Kind.LIST ? set.values.flatMap((scope) => (scope.kind === Kind.STRING ? [scope.value] : [])) : [],
  );
}

function requirementOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: ReturnType<typeof directiveNames>,
): Requirement | undefined {
  let authenticated = false;
  const scopes: string[][][] = [];
  for (const directive of directives ?? []) {
    if (directive.name.value === names.authenticated) authenticated = true;
    else if (directive.name.value === names.requiresScopes) scopes.push(scopesArgument(directive));
  }
  return authenticated || scopes.length > 0 ? { authenticated, scopes } : undefined;
}

const typeKinds = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
]);

type TypeNodeWithDirectives = DefinitionNode & {
  name: { value: string };
  directives?: readonly ConstDirectiveNode[];
  fields?: readonly FieldDefinitionNode[];
};

/** Reads every `@authenticated` / `@requiresScopes` of the supergraph, once, at load. */
export function accessRules(supergraphSdl: string): AccessRules {
  const document = parse(supergraphSdl);
  const names = directiveNames(document);
  const rules = new Map<string, Requirement>();
  const add = (coordinate: string, requirement: Requirement | undefined) => {
    if (!requirement) return;
    const known = rules.get(coordinate);
    rules.set(
      coordinate,
      known
        ? {
            authenticated: known.authenticated || requirement.authenticated,
            scopes: [...known.scopes, ...requirement.scopes],
          }
        : requirement,
    );
  };
  for (const definition of document.definitions) {
    if (!typeKinds.has(definition.kind)) continue;
    const type = definition as TypeNodeWithDirectives;
    add(type.name.value, requirementOf(type.directives, names));
    for (const field of type.fields ?? [])
      add(`${type.name.value}.${field.name.value}`, requirementOf(field.directives, names));
  }
  return rules;
}

/**
 * The supergraph as `@apollo/gateway` gets it: the two links lose their `for: SECURITY` purpose.
 * The query planner refuses any SECURITY feature it does not implement itself, precisely so that
 * no one serves such a supergraph believing it enforced; this gateway enforces both before
 * planning (authorize.ts), so it tells the planner they are plain metadata.
 */
export function supergraphForPlanner(supergraphSdl: string): string {
  const enforcedHere = Object.values(specs);
  return print(
    visit(parse(supergraphSdl), {
      Directive(directive) {
        if (directive.name.value !== 'link') return undefined;
        const url = stringArgument(directive as ConstDirectiveNode, 'url') ?? '';
        if (!enforcedHere.some((spec) => url.startsWith(spec))) return undefined;
        return { ...directive, arguments: directive.arguments?.filter((argument) => argument.name.value !== 'for') };
      },
    }),
  );
}
