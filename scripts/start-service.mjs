#!/usr/bin/env node
// `npm start`: runs the DecisionLog service from its TypeScript sources through tsx — no build step,
// so a fresh clone runs after `npm install` alone. Embedded PGlite and a development JWT secret are
// used when DATABASE_URL / JWT_SECRET_KEY are unset (the service prints a warning for each).
// Sentry's instrument module is imported before the server, as `--import` does in production.
import { register } from 'tsx/esm/api';

register();
await import('../service/src/instrument.ts');
await import('../service/src/server.ts');
