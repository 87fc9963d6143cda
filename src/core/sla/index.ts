export * from './types.js'
export * from './normen.js'
export * from './priority.js'
export * from './clocks.js'
