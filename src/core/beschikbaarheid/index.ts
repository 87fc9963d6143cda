export * from './types.js'
export * from './histogram.js'
export * from './reeksen.js'
export * from './maand.js'
