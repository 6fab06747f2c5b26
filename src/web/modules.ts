import { adminModule } from './pages/admin-page.js'
import { authsModule } from './pages/auths-page.js'
import { financeModule } from './pages/finance-page.js'
import { itemModule } from './pages/item-page.js'
import { sessionModule } from './pages/session-routes.js'
import { worklistModule } from './pages/worklist-page.js'
import type { WebModule } from './web-context.js'

/**
 * Every part of the web app, in navigation order. A new page: write src/web/pages/NAME.tsx
 * exporting a {@link WebModule} (its `nav` entries and its routes, pages and /api, each with
 * `config: { access }`), and add it here.
 */
export const webModules: WebModule[] = [
  sessionModule,
  worklistModule,
  itemModule,
  authsModule,
  financeModule,
  adminModule,
]
