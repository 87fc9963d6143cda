// The HTTP baseline: bare Fastify answering the same JSON, with none of the service's plugins.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/health/ready', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
