import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Operation = { responses: Record<string, unknown> };
type Document = { servers: { url: string }[]; paths: Record<string, Record<string, unknown>> };

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Holds every REST response to the OpenAPI document the gateway serves: the route, the status and
 * the body must all be described there, or the check throws naming what differs.
 */
export function openApiValidator(document: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi');
  const base = document.servers[0].url;
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}/?$`),
    parameters: (template.match(/\{/g) ?? []).length,
  }));

  return function check(method: string, url: string, status: number, body: unknown): void {
    const path = new URL(url, 'http://localhost').pathname;
    if (!path.startsWith(`${base}/`)) throw new Error(`${path} is outside ${base}`);
    const verb = method.toLowerCase();
    // Like the router: a literal segment wins over a parameter.
    const [match] = templates
      .filter(
        ({ template, pattern }) =>
          pattern.test(path.slice(base.length)) && document.paths[template][verb] !== undefined,
      )
      .sort((a, b) => a.parameters - b.parameters);
    if (!match) throw new Error(`${method} ${path} is not described by the OpenAPI document`);
    if (!(document.paths[match.template][verb] as Operation).responses[status]) {
      throw new Error(
        `${method} ${match.template} answered ${status}, which the OpenAPI document does not list: ${JSON.stringify(body)}`,
      );
    }
    const ref = `openapi#/paths/${pointer(match.template)}/${verb}/responses/${status}/content/${pointer('application/json')}/schema`;
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    if (!validate(body)) {
      throw new Error(
        `${method} ${path} ${status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body, null, 2)}`,
      );
    }
  };
}
