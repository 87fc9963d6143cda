import type { FastifyReply, FastifyRequest } from 'fastify'

/** `page` and `pageSize` as the query schema gives them: optional in the types, defaulted by Ajv. */
export interface PageQuery { page?: number | undefined, pageSize?: number | undefined }

const DEFAULT_PAGE_SIZE = 100

/** The page and size asked for, with the documented defaults (1 and 100). */
const pageOf = (q: PageQuery): { page: number, pageSize: number } => ({ page: q.page ?? 1, pageSize: q.pageSize ?? DEFAULT_PAGE_SIZE })

/** The schema bounds page (≤ MAX_PAGE) and pageSize (≤ MAX_PAGE_SIZE), so the offset is an exact integer. */
export const offsetOf = (q: PageQuery): { offset: number, limit: number } => {
  const { page, pageSize } = pageOf(q)
  return { offset: (page - 1) * pageSize, limit: pageSize }
}

/**
 * Sets the `Link` header (RFC 8288) with first/prev/next/last, keeping every other query
 * parameter (ADR pagination module draft, /pagination/links). Links are relative to the host.
 */
export function setPageLinks (request: FastifyRequest, reply: FastifyReply, query: PageQuery, total: number): void {
  const q = pageOf(query)
  const [path, search = ''] = request.url.split('?') as [string, string?]
  const last = Math.max(1, Math.ceil(total / q.pageSize))
  const link = (page: number, rel: string): string => {
    const params = new URLSearchParams(search)
    params.set('page', String(page))
    params.set('pageSize', String(q.pageSize))
    return `<${path}?${params.toString()}>; rel="${rel}"`
  }
  const links = [link(1, 'first')]
  if (q.page > 1) links.push(link(Math.min(q.page - 1, last), 'prev'))
  if (q.page < last) links.push(link(q.page + 1, 'next'))
  links.push(link(last, 'last'))
  reply.header('link', links.join(', '))
}

/** One page of a list already read in full (small lists: a melding's events, a dienst's exclusions), with its links. */
export function pageOfList<T, U> (request: FastifyRequest, reply: FastifyReply, q: PageQuery, rows: readonly T[], map: (row: T) => U): { resultaten: U[], aantal: number } {
  const { offset, limit } = offsetOf(q)
  setPageLinks(request, reply, q, rows.length)
  return { resultaten: rows.slice(offset, offset + limit).map(map), aantal: rows.length }
}
