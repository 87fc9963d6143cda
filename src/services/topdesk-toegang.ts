import { invalid } from './errors.js'

/** What a koppeling is given to read TOPdesk (issue 13). */
export interface TopdeskInput { url: string, gebruiker: string, applicatiewachtwoord?: string | undefined, filter?: string | null | undefined }

/** https, or http only for the local machine (tests, a tunnel). */
export function checkTopdeskUrl (url: string): string | undefined {
  let u: URL
  try { u = new URL(url) } catch { return 'is not a URL' }
  if (u.username !== '' || u.password !== '') return 'must not hold a login (give gebruiker and applicatiewachtwoord)'
  if (u.search !== '' || u.hash !== '') return 'must not hold a query or fragment'
  if (u.protocol === 'https:') return undefined
  if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return undefined
  return 'must be https (http only for localhost)'
}

export function validTopdesk (bron: string, t: TopdeskInput, stored: boolean): void {
  if (bron !== 'topdesk') throw invalid([{ name: 'topdesk', reason: `only a topdesk koppeling reads TOPdesk (this one is ${bron})` }])
  const why = checkTopdeskUrl(t.url)
  if (why !== undefined) throw invalid([{ name: 'topdesk.url', reason: why }])
  if (t.applicatiewachtwoord === undefined && !stored) throw invalid([{ name: 'topdesk.applicatiewachtwoord', reason: 'is required the first time' }])
}

