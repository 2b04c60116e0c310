import type { OpenApiDocument } from './document';

const escape = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  parameters: { name: string; in: string; required: boolean; description?: string }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { description: string; content: Record<string, { schema: { $ref: string } }> }>;
};

const schemaName = (ref: string) => ref.split('/').pop() ?? ref;
const schemaLink = (ref: string) => `<a href="#schema-${schemaName(ref)}">${escape(schemaName(ref))}</a>`;

function operationHtml(method: string, path: string, operation: Operation): string {
  const parameters = operation.parameters
    .map(
      (parameter) =>
        `<li><code>${escape(parameter.name)}</code> (${parameter.in}${parameter.required ? ', required' : ''})${parameter.description ? `: ${escape(parameter.description)}` : ''}</li>`,
    )
    .join('');
  const body = operation.requestBody
    ? `<p>Body: ${schemaLink(operation.requestBody.content['application/json'].schema.$ref)}</p>`
    : '';
  const responses = Object.entries(operation.responses)
    .map(
      ([status, response]) =>
        `<li><b>${status}</b> ${escape(response.description)}: ${schemaLink(response.content['application/json'].schema.$ref)}</li>`,
    )
    .join('');
  return (
    `<section><h3><code>${method.toUpperCase()} /api${escape(path)}</code></h3><p>${escape(operation.summary)}</p>` +
    `${operation.description ? `<p>${escape(operation.description)}</p>` : ''}${parameters ? `<ul>${parameters}</ul>` : ''}${body}<ul>${responses}</ul></section>`
  );
}

/** A plain page generated from the OpenAPI document (no scripts, no external assets). */
export function docsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => operationHtml(method, path, operation as Operation)),
  );
  const schemas = Object.entries(document.components.schemas).map(
    ([name, schema]) =>
      `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3><pre>${escape(JSON.stringify(schema, null, 2))}</pre></section>`,
  );
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(document.info.title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto}</style></head>' +
    `<body><h1>${escape(document.info.title)}</h1><p>${escape(document.info.description)}</p>` +
    '<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>' +
    `<h2>Endpoints</h2>${operations.join('')}<h2>Schemas</h2>${schemas.join('')}</body></html>`
  );
}
