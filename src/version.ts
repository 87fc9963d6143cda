import { readFileSync } from 'node:fs'

/** The service's version (package.json): logs and the report's `herkomst.softwareVersie`. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

/**
 * The version of the API contract (semver), kept apart from the package's: the `API-Version`
 * header and the OpenAPI `info.version`. Its major version is the one in the URI (`/api/v1`),
 * ADR /core/uri-version and /core/version-header. Raise the minor version for each backward
 * compatible change of the contract, the patch version for fixes in the document only.
 * 1.1.0: ids in canonical form only, years 1970–2199, page at most 1,000,000, 413 documented.
 * 1.2.0: koppelingen complete (tools' own deadlines: the melding's `bron` and `?afwijkend=`, the
 * report's `bronAfwijkingen`; 202 `ontvangen`; retention; secret replacement), verplichtingen,
 * signalen (abonnementen, escalatiematrix), docs, metrics. Additions only.
 */
export const API_VERSION = '1.2.0'
