import type { OpenApiDocument } from '../../gateway/src/rest/openapi/document';
import { openApiValidator } from './openapi-validator';

export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown;
  /** Sent as is, with the headers given. */
  raw?: string;
  headers?: Record<string, string>;
}

/** A client of the REST shim that checks every response against the OpenAPI document the gateway serves. */
export async function restClient(gatewayUrl: string) {
  const document = (await (await fetch(`${gatewayUrl}/api/openapi.json`)).json()) as OpenApiDocument;
  const check = openApiValidator(document);

  async function request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<RestResponse<T>> {
    const headers = {
      ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    };
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers,
      body: options.json === undefined ? options.raw : JSON.stringify(options.json),
    });
    const text = await response.text();
    const body = JSON.parse(text) as T;
    check(method, path, response.status, body);
    return { status: response.status, headers: response.headers, body };
  }

  return {
    document,
    request,
    get: <T = any>(path: string) => request<T>('GET', path),
    post: <T = any>(path: string, json: unknown) => request<T>('POST', path, { json }),
    put: <T = any>(path: string, json: unknown) => request<T>('PUT', path, { json }),
    delete: <T = any>(path: string) => request<T>('DELETE', path),
  };
}

export type RestClient = Awaited<ReturnType<typeof restClient>>;
