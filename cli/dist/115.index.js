export const id = 115;
export const ids = [115];
export const modules = {

/***/ 7115:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main),
  readConfig: () => (/* binding */ readConfig)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/errors.ts
var errors = __webpack_require__(8115);
// EXTERNAL MODULE: ./lib/github.ts
var github = __webpack_require__(2183);
// EXTERNAL MODULE: ./lib/pg.ts
var pg = __webpack_require__(1397);
// EXTERNAL MODULE: ./lib/summary.ts
var summary = __webpack_require__(1262);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
;// CONCATENATED MODULE: ./actions/migrate/src/backup.ts





/** Major version from `pg_dump --version` ("pg_dump (PostgreSQL) 15.20 (Debian …)"). */
function pgDumpMajor(versionText) {
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionText);
    return match ? Number(match[1]) : undefined;
}
/** Why this pg_dump cannot back up this server, or undefined when it can (pg_dump must be ≥ the server). */
function pgDumpProblem(dumpMajor, serverVersionNum) {
    const serverMajor = Math.floor(serverVersionNum / 10_000);
    if (dumpMajor === undefined)
        return 'pg_dump did not report a version we understand';
    if (dumpMajor < serverMajor) {
        return `pg_dump ${dumpMajor} is older than the server (PostgreSQL ${serverMajor}) and refuses to dump it: install postgresql-client-${serverMajor} on the runner (apt-get install postgresql-client-${serverMajor} from apt.postgresql.org)`;
    }
    return undefined;
}
/** `<db>-<UTC timestamp>-v<current version>.dump`, safe for artifact names. */
function backupFileName(db, current, now = new Date()) {
    const stamp = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    return `${db.replace(/[^\w.-]/g, '_')}-${stamp}-v${current ?? 0}.dump`;
}
/** Writes a pg_dump custom-format backup and returns its path; any problem is a UserError. */
async function backupDatabase(req) {
    const pgDump = req.pgDump ?? 'pg_dump';
    let versionText;
    try {
        versionText = (await (0,exec/* getExecOutput */.H)(pgDump, ['--version'], { silent: true, ignoreReturnCode: true }))
            .stdout;
    }
    catch {
        throw new errors/* UserError */.y(`pg_dump was not found on PATH, so the backup requested by backup-dir cannot be taken and nothing was applied: install the PostgreSQL client (apt-get install postgresql-client) or leave backup-dir empty.`);
    }
    const problem = pgDumpProblem(pgDumpMajor(versionText), req.serverVersionNum);
    if (problem)
        throw new errors/* UserError */.y(`Cannot take the backup, so nothing was applied: ${problem}.`);
    const dir = (0,external_node_path_.resolve)(req.dir);
    await (0,promises_.mkdir)(dir, { recursive: true });
    const path = (0,external_node_path_.join)(dir, backupFileName((0,pg/* databaseName */.Do)(req.databaseUrl), req.current));
    const { url, password } = (0,pg/* libpqUrl */.sz)(req.databaseUrl);
    const env = {};
    for (const [k, v] of Object.entries(process.env))
        if (v !== undefined)
            env[k] = v;
    if (password)
        env.PGPASSWORD = password;
    env.PGCONNECT_TIMEOUT ??= '15';
    if (req.applicationName)
        env.PGAPPNAME = req.applicationName;
    // The password travels in PGPASSWORD, never on the command line.
    const res = await (0,exec/* getExecOutput */.H)(pgDump, ['--format=custom', '--no-password', `--file=${path}`, `--dbname=${url}`], {
        env,
        silent: true,
        ignoreReturnCode: true,
    });
    if (res.exitCode !== 0) {
        const said = res.stderr.trim().split('\n').slice(-2).join(' ').replace(/\s+/g, ' ');
        throw new errors/* UserError */.y(`pg_dump failed (exit ${res.exitCode}), so nothing was applied: ${said || 'no error text'}; fix the cause or leave backup-dir empty to migrate without a backup.`);
    }
    return { path, bytes: (await (0,promises_.stat)(path)).size };
}

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
;// CONCATENATED MODULE: ./actions/migrate/src/connect.ts



/** One sentence for a failed connection: what happened, and what to change. Never contains the password. */
function describeConnectError(err, url) {
    const e = err;
    const parsed = (0,pg/* parseDatabaseUrl */.mx)(url);
    const where = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
    const user = decodeURIComponent(parsed.username) || 'the default user';
    const db = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'the default database';
    const message = (e?.message ?? String(err)).replace(/\.$/, '');
    switch (e?.code) {
        case 'ECONNREFUSED':
            return `Could not connect to the database at ${where} (connection refused): check the host and port in database-url and that the server accepts connections from this runner.`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `Could not connect to the database: the host name ${parsed.hostname} was not found (DNS): check the host in database-url.`;
        case 'ETIMEDOUT':
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `Could not connect to the database at ${where} (${e.code}): check the host, the port and that the runner's network may reach it (firewall, allow-list).`;
        case '28P01':
            return `The database at ${where} rejected the password for user ${user}: update the database-url secret with the current password.`;
        case '28000':
            return `The database at ${where} refused user ${user} (${message}): check the user name and that the server allows this runner to connect.`;
        case '3D000':
            return `The database ${db} does not exist on ${where}: check the database name at the end of database-url.`;
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
        case 'CERT_HAS_EXPIRED':
            return `The TLS certificate of the database at ${where} could not be verified (${message}): use sslmode=require to encrypt without verifying (as Supabase documents), or add sslrootcert=/path/to/ca.pem.`;
    }
    if (/does not support SSL/i.test(message)) {
        return `The database at ${where} does not offer TLS but database-url asks for it: use sslmode=disable (or prefer) for this server, or turn TLS on at the server.`;
    }
    if (/timeout/i.test(message)) {
        return `Could not connect to the database at ${where} within 15s: check the host, the port and the runner's network access.`;
    }
    return `Could not connect to the database ${(0,pg/* redactDatabaseUrl */.Aq)(url)}: ${message}.`;
}
/** One dedicated connection (the advisory lock and session settings live on it). */
async function connect(url, applicationName) {
    const config = (0,pg/* pgConfigFromUrl */.pZ)(url);
    const client = new esm/* default.Client */.Ay.Client({
        ...config,
        application_name: applicationName,
        connectionTimeoutMillis: 15_000,
    });
    // An idle-connection error after connect must not crash the process with a stack trace.
    client.on('error', () => { });
    try {
        await client.connect();
    }
    catch (err) {
        await client.end().catch(() => { });
        throw new errors/* UserError */.y(describeConnectError(err, url));
    }
    return client;
}

// EXTERNAL MODULE: ./lib/duration.ts
var duration = __webpack_require__(5952);
;// CONCATENATED MODULE: ./actions/migrate/src/report.ts


/** The markdown used for the job summary, the `report` output and the PR comment. */
function renderReport(r) {
    const lines = [];
    const title = { apply: 'apply', plan: 'plan (nothing was changed)', lint: 'lint (nothing was changed)' }[r.command];
    lines.push(`### Database migrations: ${title}`);
    lines.push('');
    lines.push(`Database \`${r.database}\`, files in \`${r.dir}\`, now at version **${r.current ?? 'none'}**.` +
        (r.backupPath ? ` Backup: \`${r.backupPath}\`.` : ''));
    if (r.error)
        lines.push('', `**Failed:** ${r.error}`);
    if (r.drift.length) {
        lines.push('', '**The history does not match the files** (apply will refuse to run):', '');
        for (const d of r.drift)
            lines.push(`- ${d}`);
    }
    const rows = [
        ...r.applied.map((a) => [a.version, `\`${a.name}\``, 'applied', (0,duration/* formatDuration */.a)(a.durationMs)]),
        ...r.pending.map((p) => [
            p.version,
            `\`${p.name}\``,
            p.noTransaction ? 'pending (no transaction)' : 'pending',
            '',
        ]),
    ];
    lines.push('');
    if (rows.length)
        lines.push((0,summary/* table */.tp)(['version', 'file', 'status', 'duration'], rows));
    else
        lines.push('Nothing to apply: every migration file is already applied.');
    lines.push('');
    if (r.findings.length) {
        lines.push(`**Lint: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}** (rollback safety and locking)`);
        lines.push('');
        lines.push((0,summary/* table */.tp)(['where', 'rule', 'why it matters'], r.findings.map((f) => [
            `\`${f.file}:${f.line}\``,
            `${f.severity === 'error' ? '⛔ ' : ''}${f.rule}`,
            f.message,
        ])));
    }
    else {
        lines.push('**Lint:** no findings.');
    }
    return (0,summary/* truncate */.xv)(lines.join('\n'), 60_000);
}
/** One log line per finding, for annotations. */
function findingLine(f) {
    return `${f.file}:${f.line}: [${f.rule}] ${(0,summary/* cell */.Hn)(f.message)}`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./actions/migrate/src/sql.ts
/**
 * Splits a SQL script into top-level statements the way PostgreSQL's lexer sees them: `;` inside
 * strings ('', E'', $tag$…$tag$), quoted identifiers and -- or nested /* comments does not end a
 * statement. Statements that are only comments or whitespace are dropped.
 */
function splitStatements(sql) {
    const statements = [];
    let code = '';
    let start = 0;
    let i = 0;
    const n = sql.length;
    const blank = (s) => s.replace(/[^\n]/g, ' ');
    const push = (end) => {
        const text = sql.slice(start, end);
        const masked = code;
        const first = masked.search(/\S/);
        if (first >= 0) {
            const lead = text.slice(0, first);
            statements.push({
                text: text.slice(first).trimEnd(),
                code: masked.slice(first, first + text.slice(first).trimEnd().length),
                line: lineAt(sql, start) + countNewlines(lead),
                offset: start + first,
            });
        }
        code = '';
    };
    while (i < n) {
        const c = sql[i];
        const next = sql[i + 1];
        if (c === '-' && next === '-') {
            const end = sql.indexOf('\n', i);
            const stop = end === -1 ? n : end;
            code += blank(sql.slice(i, stop));
            i = stop;
        }
        else if (c === '/' && next === '*') {
            let depth = 1;
            let j = i + 2;
            while (j < n && depth > 0) {
                if (sql[j] === '/' && sql[j + 1] === '*') {
                    depth++;
                    j += 2;
                }
                else if (sql[j] === '*' && sql[j + 1] === '/') {
                    depth--;
                    j += 2;
                }
                else
                    j++;
            }
            code += blank(sql.slice(i, j));
            i = j;
        }
        else if (c === "'") {
            // E'' strings allow backslash escapes; standard strings only double the quote.
            const escapes = i > 0 && /[eE]/.test(sql[i - 1]) && !/[\w$]/.test(sql[i - 2] ?? ' ');
            let j = i + 1;
            while (j < n) {
                if (escapes && sql[j] === '\\')
                    j += 2;
                else if (sql[j] === "'" && sql[j + 1] === "'")
                    j += 2;
                else if (sql[j] === "'")
                    break;
                else
                    j++;
            }
            code += `'${blank(sql.slice(i + 1, Math.min(j, n)))}${j < n ? "'" : ''}`;
            i = j + 1;
        }
        else if (c === '"') {
            let j = i + 1;
            while (j < n) {
                if (sql[j] === '"' && sql[j + 1] === '"')
                    j += 2;
                else if (sql[j] === '"')
                    break;
                else
                    j++;
            }
            // Keep quoted identifiers readable for table names, but they can never be keywords.
            code += sql.slice(i, Math.min(j + 1, n)).replace(/;/g, ' ');
            i = j + 1;
        }
        else if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
            const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
            if (tag) {
                const bodyStart = i + tag[0].length;
                const close = sql.indexOf(tag[0], bodyStart);
                code += tag[0] + blank(sql.slice(bodyStart, close === -1 ? n : close));
                if (close !== -1)
                    code += tag[0];
                i = close === -1 ? n : close + tag[0].length;
            }
            else {
                code += c;
                i++;
            }
        }
        else if (c === ';') {
            push(i);
            i++;
            start = i;
        }
        else {
            code += c;
            i++;
        }
    }
    push(n);
    return statements;
}
function countNewlines(text) {
    let count = 0;
    for (const ch of text)
        if (ch === '\n')
            count++;
    return count;
}
/** 1-based line number of an offset. */
function lineAt(text, offset) {
    return countNewlines(text.slice(0, offset)) + 1;
}
/**
 * True when the file's leading comment block contains `-- migrate:no-transaction`
 * (the file then runs statement by statement outside a transaction).
 */
function isNoTransaction(sql) {
    for (const raw of sql.replace(/^\uFEFF/, '').split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '')
            continue;
        if (!line.startsWith('--'))
            return false;
        if (/^--\s*migrate:no-transaction\b/i.test(line))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./actions/migrate/src/files.ts





const FILE_NAME = /^(\d+)_([A-Za-z0-9][\w.-]*)\.sql$/;
/** SHA-256 (hex) of the file with line endings normalised, so a CRLF checkout does not count as an edit. */
function checksumOf(sql) {
    return (0,external_node_crypto_.createHash)('sha256').update(sql.replace(/\r\n?/g, '\n')).digest('hex');
}
/** Version number of a migration file name, or undefined when it is not named NNNN_name.sql. */
function versionOf(fileName) {
    const match = FILE_NAME.exec(fileName);
    if (!match)
        return undefined;
    const version = Number(match[1]);
    return Number.isSafeInteger(version) ? version : undefined;
}
/** Reads every *.sql file of `dir`, sorted by version (numerically, so 10 comes after 9). */
async function readMigrations(dir) {
    let names;
    try {
        names = await (0,promises_.readdir)(dir);
    }
    catch (err) {
        const code = err.code;
        throw new errors/* UserError */.y(code === 'ENOENT'
            ? `The migrations directory ${dir} does not exist: check the "dir" input (it is relative to the repository root) and that the repository is checked out.`
            : `The migrations directory ${dir} cannot be read (${code}): check its permissions.`);
    }
    const files = [];
    const byVersion = new Map();
    for (const name of names.filter((n) => n.toLowerCase().endsWith('.sql')).sort()) {
        const version = versionOf(name);
        if (version === undefined) {
            throw new errors/* UserError */.y(`${(0,external_node_path_.join)(dir, name)} is not named like a migration: rename it to NNNN_description.sql (for example 0007_add_index.sql) so its order is explicit.`);
        }
        const clash = byVersion.get(version);
        if (clash) {
            throw new errors/* UserError */.y(`${clash} and ${name} both have version ${version}: give one of them the next free number so the order is unambiguous.`);
        }
        byVersion.set(version, name);
        const path = (0,external_node_path_.join)(dir, name);
        const sql = await (0,promises_.readFile)(path, 'utf8');
        files.push({ version, name, path, sql, checksum: checksumOf(sql), noTransaction: isNoTransaction(sql) });
    }
    return files.sort((a, b) => a.version - b.version);
}

;// CONCATENATED MODULE: ./actions/migrate/src/lint.ts

const IDENT = String.raw `(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QNAME = String.raw `(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const ERROR_RULES = new Set(['concurrently-in-transaction', 'transaction-control']);
/** `public.users`, `"Users"`, `users` → one comparable spelling. */
function normaliseName(name) {
    const parts = name
        .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
        .map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()));
    if (parts.length === 2 && parts[0] === 'public')
        parts.shift();
    return parts.join('.');
}
/**
 * Flags statements that make rolling the app back unsafe, lock a busy table, or cannot run as
 * written. Files are linted in order: a table created earlier in the same set counts as new, so
 * indexing it or adding NOT NULL columns to it is fine.
 */
function lintMigrations(files) {
    const created = new Set();
    const findings = [];
    for (const file of files) {
        for (const statement of splitStatements(file.sql)) {
            findings.push(...lintStatement(file, statement, created));
        }
    }
    return findings;
}
function lintStatement(file, st, created) {
    const out = [];
    const code = st.code;
    const add = (rule, index, message) => out.push({
        file: file.name,
        line: st.line + (code.slice(0, index).match(/\n/g)?.length ?? 0),
        rule,
        severity: ERROR_RULES.has(rule) ? 'error' : 'warning',
        message,
    });
    const isNew = (name) => name !== undefined && created.has(normaliseName(name));
    const createTable = new RegExp(String.raw `^\s*CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QNAME}`, 'i').exec(code);
    if (createTable?.[1])
        created.add(normaliseName(createTable[1]));
    if (!file.noTransaction) {
        const control = /^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION|END)\b/i.exec(code);
        if (control) {
            add('transaction-control', control.index, `${control[1].toUpperCase()} inside a migration: each file already runs in its own transaction with its history row, so this would commit part of the file on its own; remove it (or mark the file -- migrate:no-transaction).`);
        }
        const concurrently = /\bCONCURRENTLY\b/i.exec(code);
        if (concurrently && !/^\s*REFRESH\b/i.test(code)) {
            add('concurrently-in-transaction', concurrently.index, 'CONCURRENTLY cannot run inside a transaction and PostgreSQL will reject it: put this statement in its own file whose first line is -- migrate:no-transaction.');
        }
    }
    const dropTable = new RegExp(String.raw `^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${QNAME}`, 'i').exec(code);
    if (dropTable && !isNew(dropTable[1])) {
        add('drop-table', dropTable.index, `DROP TABLE ${dropTable[1]} deletes the table and its data: the app version still serving traffic, and any version you roll back to, fails on every query that reads it, and a rollback cannot bring the data back; stop using the table in one release and drop it in a later one.`);
    }
    const dropSchema = /^\s*DROP\s+SCHEMA\b/i.exec(code);
    if (dropSchema) {
        add('drop-schema', dropSchema.index, 'DROP SCHEMA deletes every object in it with their data: older app versions that use it break and a rollback cannot restore it; drop it in a later release, after nothing uses it.');
    }
    const truncate = /^\s*TRUNCATE\b/i.exec(code);
    if (truncate) {
        add('truncate', truncate.index, 'TRUNCATE deletes every row and takes an ACCESS EXCLUSIVE lock: an app rollback cannot bring the data back; restore from the backup is the only way, so make sure this is intended.');
    }
    const alter = new RegExp(String.raw `^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QNAME}`, 'i').exec(code);
    if (alter?.[1]) {
        const table = alter[1];
        const fresh = isNew(table);
        const offset = alter.index + alter[0].length;
        for (const action of topLevelParts(code.slice(offset), offset)) {
            const text = action.text;
            const at = (m) => action.offset + m.index + (/^\s*/.exec(m[0])?.[0].length ?? 0);
            const dropColumn = new RegExp(String.raw `^\s*DROP\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|DEFAULT|NOT|IDENTITY|EXPRESSION)\b)(?:IF\s+EXISTS\s+)?(${IDENT})`, 'i').exec(text);
            if (dropColumn && !fresh) {
                add('drop-column', at(dropColumn), `Dropping column ${dropColumn[1]} of ${table} deletes its data: the app version still serving traffic, and any version you roll back to, fails when it reads or writes it; stop using the column in one release and drop it in a later one.`);
            }
            const renameColumn = new RegExp(String.raw `^\s*RENAME\s+(?:COLUMN\s+)?(?!(?:TO|CONSTRAINT)\b)(${IDENT})\s+TO\s+(${IDENT})`, 'i').exec(text);
            if (renameColumn && !fresh) {
                add('rename-column', at(renameColumn), `Renaming column ${renameColumn[1]} of ${table} to ${renameColumn[2]} breaks the app version still running and any version you roll back to, which use the old name; add the new column, write both, and drop the old one in a later release.`);
            }
            const renameTable = new RegExp(String.raw `^\s*RENAME\s+TO\s+(${IDENT})`, 'i').exec(text);
            if (renameTable && !fresh) {
                add('rename-table', at(renameTable), `Renaming table ${table} to ${renameTable[1]} breaks the app version still running and any version you roll back to; create a view with the old name or rename in a later release.`);
            }
            const typeChange = new RegExp(String.raw `^\s*ALTER\s+(?:COLUMN\s+)?(${IDENT})\s+(?:SET\s+DATA\s+)?TYPE\b`, 'i').exec(text);
            if (typeChange && !fresh) {
                add('column-type-change', at(typeChange), `Changing the type of ${table}.${typeChange[1]} usually rewrites the table under an ACCESS EXCLUSIVE lock, and the old app version may not read or write the new type; add a new column and migrate in steps.`);
            }
            const setNotNull = /^\s*ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+NOT\s+NULL\b/i.exec(text);
            if (setNotNull && !fresh) {
                add('set-not-null', at(setNotNull), `SET NOT NULL on ${table} scans the whole table under an ACCESS EXCLUSIVE lock, and the app version still running (or one you roll back to) may insert NULLs and start failing; add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, then set NOT NULL.`);
            }
            const addColumn = new RegExp(String.raw `^\s*ADD\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|EXCLUDE)\b)(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})`, 'i').exec(text);
            if (addColumn &&
                !fresh &&
                /\bNOT\s+NULL\b/i.test(text) &&
                !/\bDEFAULT\b/i.test(text) &&
                !/\bGENERATED\b/i.test(text)) {
                add('add-not-null-column', at(addColumn), `Adding NOT NULL column ${addColumn[1]} without a DEFAULT to ${table} fails if the table has rows, and the app version still running (or one you roll back to) does not set it, so its inserts fail; add a DEFAULT or make it nullable first.`);
            }
        }
    }
    const index = new RegExp(String.raw `^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b(\s+CONCURRENTLY\b)?[\s\S]*?\bON\s+(?:ONLY\s+)?${QNAME}`, 'i').exec(code);
    if (index && !index[1] && !isNew(index[2])) {
        add('index-not-concurrent', index.index, `CREATE INDEX without CONCURRENTLY on existing table ${index[2]} blocks every write to it until the index is built; use CREATE INDEX CONCURRENTLY in a file marked -- migrate:no-transaction.`);
    }
    return out;
}
/** Splits an ALTER TABLE action list on commas outside parentheses, keeping offsets. */
function topLevelParts(text, base) {
    const parts = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
        const c = text[i];
        if (c === '(')
            depth++;
        else if (c === ')')
            depth--;
        else if ((c === ',' && depth === 0) || i === text.length) {
            parts.push({ text: text.slice(start, i), offset: base + start });
            start = i + 1;
        }
    }
    return parts;
}

;// CONCATENATED MODULE: ./actions/migrate/src/plan.ts
/**
 * Compares the files with the history table. Pending files are those whose version was never
 * applied; drift is anything that makes applying unsafe: an applied file edited, renamed or
 * deleted, or a new file numbered below the newest applied one (it would run out of order).
 */
function planMigrations(files, history, dir = 'migrations') {
    const byVersion = new Map(files.map((f) => [f.version, f]));
    const applied = new Map(history.map((h) => [h.version, h]));
    const drift = [];
    const current = history.length ? Math.max(...history.map((h) => h.version)) : null;
    for (const row of [...history].sort((a, b) => a.version - b.version)) {
        const when = row.appliedAt ? ` on ${new Date(row.appliedAt).toISOString()}` : '';
        const file = byVersion.get(row.version);
        if (!file) {
            drift.push({
                kind: 'missing',
                file: row.name,
                version: row.version,
                message: `${row.name} (version ${row.version}) was applied${when} but is missing from ${dir}: restore it, because applied migrations must stay in the repository.`,
            });
        }
        else if (file.checksum !== row.checksum) {
            drift.push({
                kind: 'edited',
                file: file.name,
                version: row.version,
                message: `${file.name} was edited after it was applied${when} (checksum ${row.checksum.slice(0, 12)}… recorded, ${file.checksum.slice(0, 12)}… now): revert the edit and put the change in a new migration file.`,
            });
        }
        else if (file.name !== row.name) {
            drift.push({
                kind: 'renamed',
                file: file.name,
                version: row.version,
                message: `${file.name} was applied${when} under the name ${row.name}: rename it back so the history and the repository agree.`,
            });
        }
    }
    const pending = files.filter((f) => !applied.has(f.version));
    if (current !== null) {
        for (const file of pending) {
            if (file.version < current) {
                drift.push({
                    kind: 'out-of-order',
                    file: file.name,
                    version: file.version,
                    message: `${file.name} is new but numbered below the newest applied version ${current}: renumber it above ${current} so every database applies migrations in the same order.`,
                });
            }
        }
    }
    return { pending, drift, current };
}

;// CONCATENATED MODULE: ./actions/migrate/src/runner.ts
/**
 * The one migration runner: used by the migrate action and by the DecisionLog service at boot
 * (node-postgres or PGlite). It knows nothing of @actions/core.
 */







/** A migration that failed: the file, the statement's line, and what PostgreSQL said. */
class MigrationError extends errors/* UserError */.y {
    file;
    line;
    constructor(message, file, line) {
        super(message);
        this.file = file;
        this.line = line;
    }
}
/** Another migrator held the lock for longer than lock-wait. */
class LockTimeoutError extends errors/* UserError */.y {
}
const DEFAULT_TABLE = 'schema_migrations';
const LOCK_CLASS = 1296647762; // 'MIGR': first key of our two-key advisory lock
/**
 * Applies every pending migration of `options.dir`, one transaction per file (with its history
 * row), holding a session advisory lock so concurrent migrators run one after the other. Drift
 * (edited, missing, out-of-order files) and unrunnable files stop it before anything is applied.
 */
async function applyMigrations(client, options) {
    const log = options.log ?? (() => { });
    const table = historyTableName(options.historyTable);
    const files = await readMigrations(options.dir);
    // A killed migrator's backend keeps its lock until the server notices the dead socket.
    await client.exec(`SET client_connection_check_interval = '2s'`).catch(() => { });
    await acquireLock(client, table, options.lockWaitMs ?? 60_000, log);
    try {
        await ensureHistoryTable(client, table);
        const history = await readHistory(client, table);
        const plan = planMigrations(files, history, options.dir);
        if (plan.drift.length)
            throw driftError(plan.drift.map((d) => d.message));
        const findings = lintMigrations(plan.pending);
        const blocking = findings.filter((f) => f.severity === 'error');
        if (blocking.length) {
            throw new errors/* UserError */.y(`Nothing was applied because ${blocking.length === 1 ? 'a pending file cannot' : `${blocking.length} pending files cannot`} run as written: ${blocking.map((f) => `${f.file}:${f.line}: ${f.message}`).join(' ')}`);
        }
        if (plan.pending.length === 0) {
            log(`Nothing to apply: the database is at version ${plan.current ?? '(none)'}.`);
            return { applied: [], pending: 0, current: plan.current, findings };
        }
        log(`${plan.pending.length} pending migration${plan.pending.length === 1 ? '' : 's'}.`);
        await options.beforeApply?.(plan.pending);
        const applied = [];
        for (const file of plan.pending) {
            const durationMs = await applyOne(client, table, file, options);
            applied.push({ version: file.version, name: file.name, durationMs });
            options.onApplied?.({ version: file.version, name: file.name, durationMs });
            log(`Applied ${file.name} in ${(0,duration/* formatDuration */.a)(durationMs)}.`);
        }
        return { applied, pending: plan.pending.length, current: plan.pending.at(-1).version, findings };
    }
    finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockKey(table)]).catch(() => { });
    }
}
/** What `apply` would do, changing nothing (no lock, no history table created). */
async function planFromDatabase(client, options) {
    const table = historyTableName(options.historyTable);
    const files = await readMigrations(options.dir);
    const exists = await client.query('SELECT to_regclass($1)::text AS t', [table]);
    const history = exists.rows[0]?.t ? await readHistory(client, table) : [];
    const plan = planMigrations(files, history, options.dir);
    return {
        files,
        history,
        pending: plan.pending,
        current: plan.current,
        findings: lintMigrations(plan.pending),
        drift: plan.drift.map((d) => d.message),
    };
}
/** node-postgres adapter: one dedicated connection (session settings and the advisory lock live on it). */
function pgAdapter(client) {
    return {
        async query(text, params) {
            const res = await client.query(text, params);
            return { rows: res.rows };
        },
        async exec(script) {
            await client.query(script);
        },
    };
}
/** Validates and quotes `table` or `schema.table`. */
function historyTableName(name = DEFAULT_TABLE) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(name)) {
        throw new errors/* UserError */.y(`History table "${name}" is not a plain table name: use letters, digits and underscores, optionally schema-qualified (like schema_migrations or ops.schema_migrations).`);
    }
    return name
        .split('.')
        .map((p) => `"${p}"`)
        .join('.');
}
/** Second key of the advisory lock: one lock per history table. */
function lockKey(table) {
    return (0,external_node_crypto_.createHash)('sha256').update(`decisionlog-migrate:${table}`).digest().readInt32BE(0) & 0x7fffffff;
}
async function acquireLock(client, table, waitMs, log) {
    const key = lockKey(table);
    const tried = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [
        LOCK_CLASS,
        key,
    ]);
    if (tried.rows[0]?.ok)
        return;
    const holder = await describeLockHolder(client, key);
    if (waitMs <= 0)
        throw lockError(holder, waitMs);
    log(`Another migrator holds the migration lock (${holder}); waiting up to ${(0,duration/* formatDuration */.a)(waitMs)}.`);
    try {
        await client.exec(`SET lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
        await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, key]);
    }
    catch (err) {
        if (err.code === '55P03')
            throw lockError(await describeLockHolder(client, key), waitMs);
        throw err;
    }
    finally {
        await client.exec('RESET lock_timeout').catch(() => { });
    }
    log('Got the migration lock.');
}
function lockError(holder, waitMs) {
    return new LockTimeoutError(`Another migrator still holds the migration lock after ${(0,duration/* formatDuration */.a)(waitMs)} (${holder}): wait for it to finish and re-run, raise lock-wait, or if it is stuck end it with SELECT pg_terminate_backend(<pid>).`);
}
async function describeLockHolder(client, key) {
    try {
        const res = await client.query(`SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.usename, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid
          AND l.objid = $2::bigint::oid AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [LOCK_CLASS, key]);
        const row = res.rows[0];
        if (!row)
            return 'holder unknown: it may have just finished';
        const parts = [`pid ${row.pid}`];
        if (row.application_name)
            parts.push(`application "${row.application_name}"`);
        if (row.usename)
            parts.push(`user ${row.usename}`);
        if (row.client_addr)
            parts.push(`from ${row.client_addr}`);
        if (row.backend_start)
            parts.push(`connected since ${new Date(row.backend_start).toISOString()}`);
        return `held by ${parts.join(', ')}`;
    }
    catch {
        return 'holder unknown: this role cannot read pg_locks';
    }
}
async function ensureHistoryTable(client, table) {
    await client.exec(`CREATE TABLE IF NOT EXISTS ${table} (
  version bigint PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL,
  applied_by text
)`);
}
async function readHistory(client, table) {
    const res = await client.query(`SELECT version, name, checksum, applied_at, execution_ms, applied_by FROM ${table} ORDER BY version`);
    return res.rows.map((r) => ({
        version: Number(r.version),
        name: r.name,
        checksum: r.checksum,
        appliedAt: r.applied_at,
        executionMs: r.execution_ms,
        appliedBy: r.applied_by,
    }));
}
function driftError(messages) {
    const list = messages.length === 1 ? messages[0] : messages.map((m, i) => `(${i + 1}) ${m}`).join(' ');
    return new errors/* UserError */.y(`Nothing was applied because the migration history does not match the files: ${list}`);
}
async function applyOne(client, table, file, options) {
    const statements = splitStatements(file.sql);
    const scope = file.noTransaction ? '' : ' LOCAL';
    // Without a statement-timeout the role's or server's own setting stays in force.
    const settings = [
        `SET${scope} lock_timeout = ${Math.round(options.lockTimeoutMs ?? 5000)}`,
        ...(options.statementTimeoutMs
            ? [`SET${scope} statement_timeout = ${Math.round(options.statementTimeoutMs)}`]
            : []),
    ].join('; ');
    const started = performance.now();
    const record = async (durationMs) => client.query(`INSERT INTO ${table} (version, name, checksum, execution_ms, applied_by) VALUES ($1, $2, $3, $4, $5)`, [file.version, file.name, file.checksum, Math.round(durationMs), options.appliedBy ?? null]);
    if (file.noTransaction) {
        await client.exec(settings);
        let done = 0;
        try {
            for (const st of statements) {
                await runStatement(client, file, st);
                done++;
            }
            const durationMs = performance.now() - started;
            await record(durationMs);
            return durationMs;
        }
        catch (err) {
            if (err instanceof MigrationError && done > 0) {
                throw new MigrationError(`${err.message} The file runs outside a transaction (-- migrate:no-transaction), so its first ${done} statement${done === 1 ? '' : 's'} stayed applied; make them idempotent (IF NOT EXISTS), drop any INVALID index, and re-run.`, err.file, err.line);
            }
            throw err;
        }
        finally {
            await client.exec('RESET lock_timeout; RESET statement_timeout').catch(() => { });
        }
    }
    await client.exec(`BEGIN; ${settings}`);
    try {
        for (const st of statements)
            await runStatement(client, file, st);
        const durationMs = performance.now() - started;
        await record(durationMs);
        await client.exec('COMMIT');
        return durationMs;
    }
    catch (err) {
        await client.exec('ROLLBACK').catch(() => { });
        if (err instanceof MigrationError) {
            throw new MigrationError(`${err.message} Nothing from this file was applied.`, err.file, err.line);
        }
        throw new MigrationError(`Recording or committing ${file.name} failed (${(0,errors/* errorMessage */.g)(err)}); nothing from this file was applied.`, file.name, undefined);
    }
}
async function runStatement(client, file, st) {
    try {
        await client.exec(st.text);
    }
    catch (err) {
        const e = err;
        let line = st.line;
        const position = Number(e.position);
        // PostgreSQL's position is a 1-based character offset into the statement we sent.
        if (Number.isInteger(position) && position > 0) {
            line += st.text.slice(0, position - 1).match(/\n/g)?.length ?? 0;
        }
        const why = e.code === '55P03'
            ? ' (lock_timeout: another session holds a lock on a table this statement needs; retry when traffic is lower or raise lock-timeout)'
            : e.code === '57014'
                ? ' (statement_timeout: the statement ran longer than statement-timeout)'
                : '';
        const extra = [e.detail ? `Detail: ${e.detail}` : '', e.hint ? `Hint: ${e.hint}` : '']
            .filter(Boolean)
            .join(' ');
        throw new MigrationError(`${file.name} failed at line ${line}: ${(e.message ?? (0,errors/* errorMessage */.g)(err)).replace(/\.$/, '')}${why}${e.code ? ` [SQLSTATE ${e.code}]` : ''}.${extra ? ` ${extra}` : ''}`, file.name, line);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/main.ts









/** Reads and validates every input before anything happens; registers secrets first. */
function readConfig(io, workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()) {
    const databaseUrl = io.inputs.required('database-url', { hint: 'usually the DATABASE_URL secret' });
    io.secrets.register(databaseUrl);
    const githubToken = io.inputs.optional('github-token');
    io.secrets.register(githubToken);
    (0,pg/* parseDatabaseUrl */.mx)(databaseUrl);
    (0,pg/* sslModeOf */.H4)(databaseUrl);
    const dir = io.inputs.string('dir', 'migrations');
    const backupDir = io.inputs.optional('backup-dir');
    const historyTable = io.inputs.string('history-table', 'schema_migrations');
    historyTableName(historyTable);
    return {
        databaseUrl,
        dir: (0,external_node_path_.isAbsolute)(dir) ? dir : (0,external_node_path_.resolve)(workspace, dir),
        command: io.inputs.choice('command', ['apply', 'plan', 'lint'], 'apply'),
        backupDir: backupDir && ((0,external_node_path_.isAbsolute)(backupDir) ? backupDir : (0,external_node_path_.resolve)(workspace, backupDir)),
        lockWaitMs: io.inputs.duration('lock-wait', '60s'),
        lockTimeoutMs: io.inputs.duration('lock-timeout', '5s'),
        statementTimeoutMs: io.inputs.duration('statement-timeout'),
        historyTable,
        githubToken,
    };
}
async function main(io) {
    const config = readConfig(io);
    const ctx = (0,github/* githubContext */.h4)();
    const who = ctx.actor || 'local';
    const applicationName = `decisionlog-migrate (${who} run ${ctx.runId || '-'})`.slice(0, 63);
    const database = (0,pg/* redactDatabaseUrl */.Aq)(config.databaseUrl);
    io.info(`Database ${database}, migrations in ${config.dir}, command ${config.command}.`);
    const report = {
        command: config.command,
        database,
        dir: config.dir,
        applied: [],
        pending: [],
        current: null,
        findings: [],
        drift: [],
    };
    let pendingBefore = 0;
    let failure;
    let client;
    try {
        // Inside the try: a wrong password still gets its outputs, summary and PR comment.
        client = await connect(config.databaseUrl, applicationName);
        const db = pgAdapter(client);
        if (config.command === 'apply') {
            const serverVersion = Number((await db.query('SHOW server_version_num')).rows[0]?.v ?? 0);
            let result;
            try {
                result = await applyMigrations(db, {
                    dir: config.dir,
                    historyTable: config.historyTable,
                    lockWaitMs: config.lockWaitMs,
                    lockTimeoutMs: config.lockTimeoutMs,
                    statementTimeoutMs: config.statementTimeoutMs,
                    appliedBy: [ctx.actor, ctx.runUrl].filter(Boolean).join(' ') || undefined,
                    log: (line) => io.info(line),
                    onApplied: (m) => report.applied.push(m),
                    beforeApply: async (pending) => {
                        pendingBefore = pending.length;
                        if (!config.backupDir)
                            return;
                        const current = await currentVersion(db, config.historyTable);
                        const backup = await backupDatabase({
                            databaseUrl: config.databaseUrl,
                            dir: config.backupDir,
                            serverVersionNum: serverVersion,
                            current,
                            applicationName: `${applicationName} pg_dump`.slice(0, 63),
                        });
                        report.backupPath = backup.path;
                        io.info(`Backup written to ${backup.path} (${backup.bytes} bytes).`);
                    },
                });
            }
            finally {
                // Whatever happened, report where the database now stands.
                const plan = await planFromDatabase(db, config).catch(() => undefined);
                if (plan) {
                    report.pending = plan.pending;
                    report.current = plan.current;
                    report.drift = plan.drift;
                    // Findings are about what this run applies (or tried to), not only what is left.
                    report.findings = result?.findings ?? plan.findings;
                    if (!result && pendingBefore === 0)
                        pendingBefore = plan.pending.length;
                }
            }
            report.current = result.current;
        }
        else {
            const plan = await planFromDatabase(db, config);
            pendingBefore = plan.pending.length;
            report.pending = plan.pending;
            report.current = plan.current;
            report.findings = plan.findings;
            report.drift = plan.drift;
            io.info(`${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ') || 'none'}; database at version ${plan.current ?? 'none'}.`);
            if (config.command === 'plan' && plan.drift.length) {
                failure = new errors/* UserError */.y(`The migration history does not match the files, so apply would refuse to run: ${plan.drift.join(' ')}`);
            }
        }
    }
    catch (err) {
        failure = err;
    }
    finally {
        await client?.end().catch(() => { });
    }
    if (failure)
        report.error = io.secrets.scrub((0,errors/* errorMessage */.g)(failure));
    for (const f of report.findings)
        io.warning(findingLine(f));
    if (config.command === 'lint')
        for (const d of report.drift)
            io.warning(d);
    const markdown = renderReport(report);
    io.setOutput('applied', report.applied.length);
    io.setOutput('pending', pendingBefore);
    io.setOutput('current', report.current ?? '');
    io.setOutput('backup-path', report.backupPath ?? '');
    io.setOutput('findings', report.findings.length);
    io.setOutput('report', markdown);
    await io.summary(markdown);
    await (0,github/* commentOnPullRequest */.rh)(io, {
        token: config.githubToken,
        marker: (0,summary/* commentMarker */.Ql)('migrate'),
        body: markdown,
        what: 'migration report',
    });
    if (failure)
        throw failure;
}
async function currentVersion(db, historyTable) {
    const res = await db.query(`SELECT max(version)::text AS v FROM ${historyTableName(historyTable)}`);
    const v = res.rows[0]?.v;
    return v == null ? null : Number(v);
}


/***/ }),

/***/ 2183:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h4: () => (/* binding */ githubContext),
/* harmony export */   rh: () => (/* binding */ commentOnPullRequest),
/* harmony export */   yN: () => (/* binding */ GitHubApi)
/* harmony export */ });
/* unused harmony export upsertPrComment */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8115);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8706);



function githubContext(env = process.env) {
    let event = {};
    if (env.GITHUB_EVENT_PATH) {
        try {
            event = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        }
        catch {
            event = {};
        }
    }
    const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repository = env.GITHUB_REPOSITORY ?? '';
    const runId = env.GITHUB_RUN_ID ?? '';
    const pr = event.pull_request?.number;
    return {
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        serverUrl,
        repository,
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        runId,
        runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
        workflow: env.GITHUB_WORKFLOW ?? '',
        eventName: env.GITHUB_EVENT_NAME ?? '',
        event,
        runUrl: repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
        pullRequest: typeof pr === 'number' ? pr : undefined,
    };
}
/** A minimal GitHub REST client on the shared HTTP client (no Octokit: it costs start-up time). */
class GitHubApi {
    token;
    apiUrl;
    constructor(token, apiUrl) {
        this.token = token;
        this.apiUrl = apiUrl;
    }
    async call(method, path, json) {
        const res = await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .http */ .LV)(`${this.apiUrl.replace(/\/$/, '')}${path}`, {
            method,
            json,
            service: 'GitHub API',
            timeoutMs: 15_000,
            headers: {
                authorization: `Bearer ${this.token}`,
                accept: 'application/vnd.github+json',
                'x-github-api-version': '2022-11-28',
            },
        });
        if (res.status >= 200 && res.status < 300)
            return (res.text ? res.json() : {});
        const hint = res.status === 401
            ? 'the github-token is invalid or expired'
            : res.status === 403 || res.status === 404
                ? 'the token lacks a permission this call needs (check the job\'s "permissions:")'
                : 'GitHub answered with an error';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`GitHub API ${method} ${path} failed with ${res.status}: ${hint}; GitHub said: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(res.text, 200)}`);
    }
}
/**
 * Creates our PR comment, or edits it in place when one with the same marker already exists,
 * so a pull request carries one comment per check however many times it runs.
 */
async function upsertPrComment(api, repository, issueNumber, marker, body) {
    const text = body.includes(marker) ? body : `${marker}\n${body}`;
    for (let page = 1; page <= 20; page++) {
        const comments = await api.call('GET', `/repos/${repository}/issues/${issueNumber}/comments?per_page=100&page=${page}`);
        const mine = comments.find((c) => c.body?.includes(marker));
        if (mine) {
            await api.call('PATCH', `/repos/${repository}/issues/comments/${mine.id}`, { body: text });
            return { id: mine.id, created: false };
        }
        if (comments.length < 100)
            break;
    }
    const created = await api.call('POST', `/repos/${repository}/issues/${issueNumber}/comments`, {
        body: text,
    });
    return { id: created.id, created: true };
}
/**
 * Posts or updates our one PR comment (found by `marker`) when a token is given on a pull request
 * event. A comment that cannot be written is a warning: the verdict it reports stands either way.
 */
async function commentOnPullRequest(log, opts, ctx = githubContext()) {
    if (!opts.token)
        return;
    if (!ctx.eventName.startsWith('pull_request') || ctx.pullRequest === undefined || !ctx.repository) {
        log.debug(`No pull request in this ${ctx.eventName || 'unknown'} event: the ${opts.what} was not posted as a comment.`);
        return;
    }
    try {
        const api = new GitHubApi(opts.token, ctx.apiUrl);
        const done = await upsertPrComment(api, ctx.repository, ctx.pullRequest, opts.marker, opts.body);
        log.info(`${done.created ? 'Posted' : 'Updated'} the ${opts.what} on pull request #${ctx.pullRequest}.`);
    }
    catch (err) {
        if (!(err instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y))
            throw err;
        log.warning(`Could not post the ${opts.what} on pull request #${ctx.pullRequest}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(err)}`);
    }
}


/***/ }),

/***/ 8706:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Dr: () => (/* binding */ NetworkError),
  Kb: () => (/* binding */ excerpt),
  LV: () => (/* binding */ http),
  Jy: () => (/* binding */ serverDelayMs),
  yy: () => (/* binding */ sleep)
});

// UNUSED EXPORTS: DEFAULT_RETRY, describeNetworkError, mayResend, retryDelayMs

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./lib/backoff.ts
/**
 * Exponential backoff with jitter, the one implementation for every retry loop we have (HTTP retries
 * in the actions, persisted extraction jobs in the service): the ceiling doubles per attempt from
 * `baseMs` up to `maxMs`, and the wait is random in [ceiling/2, ceiling] so retries spread out.
 */
function backoffMs(attempt, baseMs, maxMs, random = Math.random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// EXTERNAL MODULE: ./lib/duration.ts
var duration = __webpack_require__(5952);
// EXTERNAL MODULE: ./lib/errors.ts
var errors = __webpack_require__(8115);
;// CONCATENATED MODULE: ./lib/http.ts




const DEFAULT_RETRY = {
    retries: 3,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    retryServerErrors: true,
};
class NetworkError extends errors/* UserError */.y {
    code;
    /** What went wrong, without the service or URL, e.g. "connection refused (ECONNREFUSED)". */
    detail;
    /** False only when the request provably never reached the server (refused, DNS). */
    mayHaveApplied;
    constructor(message, code, detail) {
        super(message);
        this.code = code;
        this.detail = detail ?? message;
        this.mayHaveApplied = !NEVER_SENT.has(code);
    }
}
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Errors raised before a single byte of the request reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Whether a failed attempt may be sent again: always for reads, for mutations only if never sent. */
function mayResend(code, mutation) {
    return !mutation || NEVER_SENT.has(code);
}
async function http(url, opts = {}) {
    const policy = { ...DEFAULT_RETRY, ...opts.retry };
    if (opts.mutation)
        policy.retryServerErrors = false;
    const service = opts.service ?? new URL(url).host;
    const headers = { 'user-agent': 'decisionlog-deploy-suite', ...opts.headers };
    let body = opts.body;
    if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers['content-type'] ??= 'application/json';
    }
    for (let attempt = 1;; attempt++) {
        const outcome = await attemptOnce(url, { ...opts, headers, body }, attempt);
        const last = attempt > policy.retries;
        if ('response' in outcome) {
            const res = outcome.response;
            const delay = retryDelayMs(res.status, res.headers, attempt, policy);
            if (last || delay === undefined || opts.signal?.aborted)
                return res;
            opts.onRetry?.({ attempt, delayMs: delay, reason: `HTTP ${res.status}` });
            await sleep(delay, opts.signal);
            continue;
        }
        const { code, detail } = outcome;
        const attempts = `${attempt} attempt${attempt > 1 ? 's' : ''}`;
        if (code === 'ABORTED' || opts.signal?.aborted) {
            // The caller stopped it (e.g. the run is being cancelled): nothing is wrong with the URL or host.
            throw new NetworkError(`Stopped the request to ${service} (${new URL(url).origin}) after ${attempts}: the request was cancelled, so its result is unknown.`, 'ABORTED', 'the request was cancelled');
        }
        if (!mayResend(code, opts.mutation ?? false)) {
            throw new NetworkError(`${service} (${new URL(url).origin}) did not answer the request that changes something: ${detail}; it may or may not have been applied, so it was not sent again.`, code, detail);
        }
        if (last) {
            throw new NetworkError(`Could not reach ${service} (${new URL(url).origin}): ${detail} after ${attempts}; check the URL and that the host is up.`, code, detail);
        }
        const delay = backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs);
        opts.onRetry?.({ attempt, delayMs: delay, reason: detail });
        await sleep(delay, opts.signal);
    }
}
async function attemptOnce(url, opts, attempt) {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    try {
        const res = await (0,undici/* request */.Em)(url, {
            method: (opts.method ?? (opts.body === undefined ? 'GET' : 'POST')),
            headers: opts.headers,
            body: opts.body,
            signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
        });
        const text = await readLimited(res.body, opts.maxBodyBytes ?? 5_000_000);
        const headers = {};
        for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined)
                headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        }
        return {
            response: {
                status: res.statusCode,
                headers,
                text,
                durationMs: performance.now() - started,
                attempts: attempt,
                json() {
                    return JSON.parse(text);
                },
            },
        };
    }
    catch (err) {
        if (opts.signal?.aborted)
            return { code: 'ABORTED', detail: 'the request was cancelled' };
        if (timeout.aborted)
            return { code: 'TIMEOUT', detail: `no answer within ${(0,duration/* formatDuration */.a)(timeoutMs)}` };
        return describeNetworkError(err);
    }
}
async function readLimited(body, maxBytes) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size <= maxBytes)
            chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** Turns a low-level socket error into a code and a phrase people understand. */
function describeNetworkError(err) {
    const e = err;
    const code = e?.code ?? e?.cause?.code ?? e?.name ?? 'ERROR';
    const phrases = {
        ECONNREFUSED: 'connection refused',
        ENOTFOUND: 'host name not found (DNS)',
        EAI_AGAIN: 'DNS lookup failed',
        ECONNRESET: 'connection reset by the server',
        EPIPE: 'connection closed by the server',
        ETIMEDOUT: 'connection timed out',
        EHOSTUNREACH: 'host unreachable',
        UND_ERR_SOCKET: 'connection closed unexpectedly',
        UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
        UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
        UND_ERR_BODY_TIMEOUT: 'response body stalled',
        CERT_HAS_EXPIRED: 'TLS certificate expired',
        DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    };
    return { code, detail: `${phrases[code] ?? e?.message ?? 'network error'} (${code})` };
}
/**
 * How long to wait before retrying a response, or undefined when it must not be retried.
 * 429 (and 503 with Retry-After) follow the server's word; 5xx back off with jitter.
 */
function retryDelayMs(status, headers, attempt, policy, now = Date.now(), random = Math.random) {
    const told = serverDelayMs(headers, now);
    if (status === 429) {
        const wait = told ?? backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
        return wait > policy.maxRetryAfterMs ? undefined : wait;
    }
    if (policy.retryServerErrors && RETRYABLE_STATUS.has(status)) {
        if (told !== undefined)
            return told > policy.maxRetryAfterMs ? undefined : told;
        return backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
    }
    return undefined;
}
/** Reads Retry-After (seconds or HTTP date), or a reset time given as epoch seconds. */
function serverDelayMs(headers, now = Date.now()) {
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined && retryAfter !== '') {
        if (/^\d+(\.\d+)?$/.test(retryAfter.trim()))
            return Math.ceil(Number(retryAfter) * 1000);
        const date = Date.parse(retryAfter);
        if (!Number.isNaN(date))
            return Math.max(0, date - now);
    }
    const reset = headers['x-sentry-rate-limit-reset'] ?? headers['x-ratelimit-reset'];
    if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim())) {
        const value = Number(reset);
        // Epoch seconds when large, otherwise seconds from now.
        return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.ceil(value * 1000);
    }
    return undefined;
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** A short, single-line excerpt of a response body for error messages. */
function excerpt(text, max = 300) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}


/***/ }),

/***/ 1262:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   Ql: () => (/* binding */ commentMarker),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   xv: () => (/* binding */ truncate),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
/** Small Markdown builders for job summaries and PR comments (GitHub-flavoured). */
/** Escapes a value for a Markdown table cell. */
function cell(value) {
    return String(value ?? '')
        .replace(/\|/g, '\\|')
        .replace(/\r?\n/g, '<br>');
}
function table(headers, rows) {
    const head = `| ${headers.map(cell).join(' | ')} |`;
    const rule = `| ${headers.map(() => '---').join(' | ')} |`;
    const body = rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
    return [head, rule, ...body].join('\n');
}
function details(summaryText, body) {
    return `<details><summary>${summaryText}</summary>\n\n${body}\n\n</details>`;
}
/** A fenced code block whose fence cannot be closed by the content. */
function codeBlock(text, lang = '') {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    return `${fence}${lang}\n${text}\n${fence}`;
}
/** Cuts text to `max` characters, marking the cut. */
function truncate(text, max, marker = '…truncated') {
    if (text.length <= max)
        return text;
    return text.slice(0, Math.max(0, max - marker.length - 1)) + `\n${marker}`;
}
/** A hidden marker that lets us find and update our own PR comment. */
function commentMarker(id) {
    return `<!-- decisionlog-deploy:${id} -->`;
}


/***/ })

};
