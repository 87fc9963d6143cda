export * from './types.js'
export { addDays, addMonths, dateOf, daysBetween, endOfDate, sameClockDaysLater, startOfDate, werkdagenNa, type OvergeslagenDag, type WerkdagenTermijn } from './termijnen.js'
export { verplichtingenOp, volgorde } from './overzicht.js'
export { uitlegVan, verplichtingWeergave, type VerplichtingWeergave } from './uitleg.js'
