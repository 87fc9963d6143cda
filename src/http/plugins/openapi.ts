import swagger from '@fastify/swagger'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import { OPENAPI_PATH } from './http-headers.js'
import { producesNoContent } from './problem-handling.js'

type Json = Record<string, unknown>

const apiVersionHeader = (version: string): Json => ({
  description: 'The full version of the API (semver), on every response; its major version is the one in the URI',
  schema: { type: 'string' as const, example: version }
})

const problemRef = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
})

/**
 * Completes the generated document where the route schemas cannot: the `API-Version` header on
 * every response, problem+json for every 4xx/5xx, and who may call each operation.
 */
function finishDocument (doc: Json): Json {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const responses = (op.responses ?? {}) as Record<string, Json>
      for (const [status, response] of Object.entries(responses)) {
        response.headers = { 'API-Version': { $ref: '#/components/headers/API-Version' }, ...(response.headers as Json | undefined) }
        if (/^[45]/.test(status)) {
          const content = (response.content ?? {}) as Record<string, unknown>
          const media = content['application/json'] ?? content['application/problem+json'] ?? { schema: { $ref: '#/components/schemas/Problem' } }
          response.content = { 'application/problem+json': media }
        }
      }
    }
  }
  return doc
}

/**
 * The OpenAPI 3.1 document, generated from the routes' TypeBox schemas, served without a key at
 * `/api/v1/openapi.json` (ADR /core/publish-openapi) and written to `openapi/openapi.json` by
 * `npm run openapi`.
 */
export default fp(async function openapi (app: FastifyInstance, opts: { apiVersion: string, publicUrl: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SLA-monitor gemeente Midden-Groningen',
        description: 'Checks whether suppliers keep the standard SLA of gemeente Midden-Groningen: meldingen and their ' +
          'reaction and resolution deadlines in business time, availability, and the quarterly report. ' +
          'Every operation except this document needs `Authorization: Bearer <key>`; its description names the roles that may call it.',
        version: opts.apiVersion,
        contact: { name: 'Gemeente Midden-Groningen, functioneel beheer', url: 'https://www.midden-groningen.nl', email: 'info@midden-groningen.nl' }
      },
      servers: [{ url: opts.publicUrl, description: 'this service, as PUBLIC_URL names it: its https URL behind the TLS-terminating ingress, or http://localhost:PORT when run locally' }],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key made with POST /sleutels' } },
        headers: { 'API-Version': apiVersionHeader(opts.apiVersion) }
      },
      tags: [
        { name: 'kalender', description: 'Werkdagen, kantooruren and business time (SLA-RULES §2)' },
        { name: 'contracten', description: 'Contracts and their terms, versioned by date' },
        { name: 'diensten', description: 'Monitored services and their availability (SLA-RULES §9)' },
        { name: 'meldingen', description: 'Meldingen, their events and SLA clocks (SLA-RULES §3–§7)' },
        { name: 'leveranciers', description: 'Suppliers' },
        { name: 'sleutels', description: 'API keys and their roles' },
        { name: 'koppelingen', description: 'Ticket tools (TOPdesk, Jira, Zendesk) whose own webhooks become meldingen and events' },
        { name: 'verplichtingen', description: 'The SLA\'s other obligations tracked to their deadlines: releases, overleggen, documents, exit (SLA-RULES §12)' },
        { name: 'signalen', description: 'Signals before and when an SLA is missed: abonnementen (signed webhooks, e-mail, escalation levels), their delivery log, the escalation matrix (issue 14)' }
      ]
    },
    hideUntagged: true,
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}` },
    transform: ({ schema, url, route }) => {
      const access = route.config?.access
      if (schema === undefined || access === undefined || access === 'public') return { schema, url }
      const s = schema as FastifySchema & { description?: string, response?: Record<string, unknown> }
      const response = { ...s.response }
      if (producesNoContent(response)) delete response[406]
      return {
        url,
        schema: {
          ...s,
          security: [{ apiKey: [] }],
          description: `${s.description ?? ''}\n\nRoles: ${access.join(', ')}.`.trim(),
          response: { 401: problemRef('No key, or an unknown or revoked key'), 403: problemRef('The key\'s role may not do this'), ...response }
        } as FastifySchema
      }
    },
    transformObject: (documentObject) => finishDocument((documentObject as unknown as { openapiObject: Json }).openapiObject)
  })

  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger())
}, { name: 'openapi', dependencies: ['auth'] })
