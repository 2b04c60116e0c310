import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/** The fragment definitions of a document, by name (the one map every document walker needs). */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
}
