export { OpenAPIRegistry, groupVersionPath, type OpenAPIGroupVersion, type OpenAPIRegistryOptions, type RenderedDocument } from './registry.js';
export { openapiMux, ownsOpenAPIPath } from './mux.js';
export { builtinSchemas, type SchemaObject } from './builtin-schemas.js';
export type { OpenAPIV3Document } from './document.js';
export type { SwaggerV2Document } from './swagger-v2.js';
export { operationId, groupVersionTag, toValidOperationID } from './operation-ids.js';
