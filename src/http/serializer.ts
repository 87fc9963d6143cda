import fastJson, { type AnySchema, type Options, type Schema } from 'fast-json-stringify'
import type { Ajv } from 'ajv'
import { addApiFormats } from './formats.js'

type Serialize = (doc: unknown) => string

/**
 * The response serializer: fast-json-stringify, as Fastify's default, but its Ajv (used to pick
 * the branch of a union such as "a duration or null") knows the API's own formats. With the stock
 * ajv-formats a duration with a fraction of a second failed its `duration` format, and every
 * answer with a running clock at a "now" with milliseconds was a 500 (issue 10).
 *
 * fast-json-stringify's documented debug mode hands out its Ajv before any schema is compiled
 * (validators compile lazily); `restore` then builds the function the normal mode would have.
 * Its type declarations do not describe debug mode's result or `restore`'s argument, hence the
 * two narrow casts below.
 */
export function buildSerializerFactory (externalSchemas?: unknown, options?: Options) {
  return ({ schema }: { schema?: unknown }): Serialize => {
    const schemas = { ...(externalSchemas as Record<string, Schema> | undefined) }
    const id = (schema as { $id?: unknown }).$id
    if (typeof id === 'string') delete schemas[id]   // as @fastify/fast-json-stringify-compiler does
    const debug = fastJson(schema as AnySchema, { ...options, schema: schemas, mode: 'debug' }) as { code: string, ajv: Ajv }
    addApiFormats(debug.ajv)
    return (fastJson.restore as unknown as (d: typeof debug) => Serialize)(debug)
  }
}
