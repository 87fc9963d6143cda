import type { FastifyReply, FastifyRequest } from 'fastify'

export interface PageQuery { page: number, pageSize: number }

export const offsetOf = (q: PageQuery): { offset: number, limit: number } => ({ offset: (q.page - 1) * q.pageSize, limit: q.pageSize })

/**
 * Sets the `Link` header (RFC 8288) with first/prev/next/last, keeping every other query
 * parameter (ADR pagination module draft, /pagination/links). Links are relative to the host.
 */
export function setPageLinks (request: FastifyRequest, reply: FastifyReply, q: PageQuery, total: number): void {
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
