// Parse a built site's _redirects and _headers, and netlify.toml, with Netlify's
// own parsers (pinned in package-lock.json); print what they understood as JSON.
// Usage: node tests/netlify/parse.mjs <output dir> <netlify.toml>
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllRedirects } from '@netlify/redirect-parser'
import { parseAllHeaders } from '@netlify/headers-parser'

const [out, config] = process.argv.slice(2)
const present = (name) => (existsSync(join(out, name)) ? [join(out, name)] : [])
const redirects = await parseAllRedirects({
  redirectsFiles: present('_redirects'),
  netlifyConfigPath: config,
  minimal: true,
})
const headers = await parseAllHeaders({
  headersFiles: present('_headers'),
  netlifyConfigPath: config,
  configHeaders: undefined,
  minimal: true,
})
const errors = [...redirects.errors, ...headers.errors].map((e) => String(e.message || e))
console.log(JSON.stringify({ redirects: redirects.redirects, headers: headers.headers, errors }))
