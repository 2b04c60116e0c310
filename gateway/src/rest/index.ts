import { Router } from 'express';
import type { ExecuteGraphQL } from '../execute';

/** The REST compatibility shim (issue 5): routes of the replaced system, each one GraphQL operation. */
export function createRestRouter(_execute: ExecuteGraphQL): Router {
  return Router();
}
