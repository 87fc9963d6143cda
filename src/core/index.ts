// The pure core's public surface. Nothing under src/core imports I/O, a framework, the clock or
// the environment: time, holidays and events come in as values (see README, Architecture).
export * from './calendar/index.js'
export * from './errors.js'
export * from './time.js'
export * from './sla/index.js'
export * from './beschikbaarheid/index.js'
export * from './kpi/index.js'
export * from './rapportage/index.js'
export * from './enums.js'
export * from './verplichtingen/index.js'
export * from './signalen/index.js'
