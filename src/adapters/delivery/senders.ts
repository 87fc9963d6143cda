import nodemailer from 'nodemailer'
import { Webhook } from 'standardwebhooks'

/** What a sender reports of one attempt (src/services/signalen.ts `Poging`). */
export type Poging = { ok: true, httpStatus: number | null } | { ok: false, httpStatus: number | null, fout: string, retryAfterMs?: number | undefined, definitief?: boolean }

/** `Retry-After`: seconds, or an HTTP date; in ms from `now`. */
export function retryAfterMs (value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const v = value.trim()
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : Math.max(0, t - now)
}

/**
 * POSTs a signal signed as Standard Webhooks: `webhook-id` (the delivery's id, the same on every
 * retry, so the receiver can drop repeats), `webhook-timestamp` (the real sending time: it guards
 * against replays, so it is the wall clock, not the service's test clock) and `webhook-signature`.
 * 2xx is delivered; 410 Gone ends the attempts; anything else is tried again.
 */
export async function sendWebhook (url: string, whsec: string, msgId: string, body: string, timeoutMs = 10_000): Promise<Poging> {
  const sentAt = new Date()
  const signature = new Webhook(whsec).sign(msgId, sentAt, body)
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'sla-monitor-signalen',
        'webhook-id': msgId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature
      }
    })
  } catch (err) {
    return { ok: false, httpStatus: null, fout: `no answer: ${err instanceof Error ? err.message : String(err)}` }
  }
  await res.arrayBuffer().catch(() => undefined)
  if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status }
  return { ok: false, httpStatus: res.status, fout: `HTTP ${res.status}`, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), Date.now()), definitief: res.status === 410 }
}

/** An e-mail sender over SMTP_URL (`smtp://user:pass@host:587`, `smtps://…`). */
export function smtpSender (smtpUrl: string, from: string): (to: readonly string[], subject: string, text: string, html: string) => Promise<Poging> {
  const transport = nodemailer.createTransport(smtpUrl)
  return async (to, subject, text, html) => {
    try {
      await transport.sendMail({ from, to: [...to], subject, text, html })
      return { ok: true, httpStatus: null }
    } catch (err) {
      return { ok: false, httpStatus: null, fout: `SMTP: ${err instanceof Error ? err.message : String(err)}` }
    }
  }
}
