import { Ajv, type ValidateFunction } from 'ajv'
import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'
import { addApiFormats } from '../../src/http/formats.js'

const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv

interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>
  components: { schemas: Record<string, object> }
}

/**
 * Checks answers against the app's own OpenAPI document (what clients are promised), with the
 * API's own formats: `check(method, url, status, body)` returns the errors, or [] when the status
 * is documented for that operation and the JSON body matches its schema.
 */
export function documentedResponses (app: FastifyInstance): (method: string, url: string, status: number, body: unknown, contentType?: string) => string[] {
  const doc = app.swagger() as unknown as Doc
  const ajv = addApiFormats(addFormats(new Ajv({ allErrors: true, strict: false })))
  ajv.addSchema({ $id: 'openapi', components: doc.components })
  const cache = new Map<string, ValidateFunction>()
  const routes = Object.entries(doc.paths).map(([path, ops]) => ({
    ops,
    match: new RegExp(`^/api/v1${path.replace(/\{[^}]+\}/g, '[^/]+')}$`)
  }))
  return (method, url, status, body, contentType = 'application/json') => {
    const path = url.split('?')[0] ?? ''
    const route = routes.find((r) => r.match.test(path))
    if (route === undefined) return [`${path} is not in the OpenAPI document`]
    const op = route.ops[method.toLowerCase()]
    if (op === undefined) return [`${method} ${path} is not in the OpenAPI document`]
    const response = op.responses?.[String(status)]
    if (response === undefined) return [`${method} ${path} answered ${status}, which is not documented`]
    const media = contentType.split(';')[0]?.trim() ?? ''
    const schema = response.content?.[media]?.schema
    if (schema === undefined) return body === undefined || body === '' ? [] : [`${method} ${path} ${status}: no schema documented for ${media}`]
    const key = `${method} ${path} ${status} ${media}`
    let validate = cache.get(key)
    if (validate === undefined) {
      const text = JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')
      validate = ajv.compile(JSON.parse(text) as object)
      cache.set(key, validate)
    }
    if (validate(body)) return []
    return (validate.errors ?? []).map((e) => `${method} ${path} ${status}: ${e.instancePath} ${e.message ?? ''}`)
  }
}
