import type { FastifyInstance } from 'fastify'

/**
 * Runs `work` when the app is ready and then every `intervalMs`, never twice at once; a failure
 * is logged as `<name> failed; retried next interval`. Closing stops the timer and waits for the
 * run under way. The one scaffolding of the background jobs (auto-close, koppelingen, signalen).
 */
export function periodically (app: FastifyInstance, name: string, intervalMs: number, work: () => Promise<void>): void {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let closing = false
  const run = (): void => {
    if (running !== undefined || closing) return
    running = work()
      .catch((err: unknown) => { app.log.error({ err }, `${name} failed; retried next interval`) })
      .finally(() => { running = undefined })
  }
  app.addHook('onReady', async () => {
    run()
    timer = setInterval(run, intervalMs)
    timer.unref()
  })
  app.addHook('onClose', async () => {
    closing = true
    if (timer !== undefined) clearInterval(timer)
    await running
  })
}
