import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'kysely';
import PQueue from 'p-queue';
import { readX12File } from '../pipeline/read-x12.js';
import { recordAudit } from '../rework/audit.js';
import { loadPayerProfiles } from '../rework/payer-repository.js';
import { detectX12Kind, peekX12 } from './detect-kind.js';
import { IngestError } from './ingest-error.js';
import { loadDenialEngine } from './load-denial-engine.js';
import { commitRemitClaims, finishRemittance, prepareRemitClaims, storeRemittanceHeader, } from './store-835.js';
import { storeClaims837 } from './store-837.js';
/** Rows per multi-row insert: one statement per ~500 claims (STYLE.md §4 batches). */
const DEFAULT_BATCH = 500;
/**
 * Ingests X12 files into the database, each in one transaction (stored whole or not at all) and
 * idempotently (by SHA-256 and by sender + ISA13). Files run concurrently on PostgreSQL.
 */
export async function ingestFiles(paths, options) {
    const requested = options.concurrency ?? 4;
    if (!Number.isInteger(requested) || requested < 1)
        throw new IngestError('INGEST_BAD_OPTION', `Expected concurrency to be an integer from 1 and up, got ${requested}`);
    // kysely's PGlite driver shares one connection: two open transactions would interleave.
    const concurrency = options.handle.engine === 'pglite' ? 1 : requested;
    const engine = options.engine ?? (await loadDenialEngine());
    const results = new Map();
    const peeks = await Promise.all(paths.map(async (path, index) => {
        try {
            return { path, index, peek: await peekX12(path) };
        }
        catch (error) {
            results.set(index, failed(path, error));
            return undefined;
        }
    }));
    const known = peeks.flatMap((p) => (p === undefined ? [] : [p]));
    const run = async (path, index) => {
        try {
            results.set(index, await ingestFile(path, { ...options, engine }));
        }
        catch (error) {
            results.set(index, failed(path, error));
        }
    };
    // 837s first, so that the 835s of the same run find their claims. Then the 835s one at a time
    // in payment-date order: a later remit must see the rework items an earlier one opened (recovered
    // revenue, reversals), and its claims stream in batches anyway.
    const queue = new PQueue({ concurrency });
    await Promise.all(known.filter((p) => p.peek.kind === '837').map((p) => queue.add(() => run(p.path, p.index))));
    const remits = known
        .filter((p) => p.peek.kind === '835')
        .sort((a, b) => a.peek.paymentDate.localeCompare(b.peek.paymentDate) || a.index - b.index);
    for (const remit of remits)
        await run(remit.path, remit.index);
    return paths.flatMap((_, index) => {
        const result = results.get(index);
        return result === undefined ? [] : [result];
    });
}
function emptyResult(path) {
    return {
        path,
        name: basename(path),
        sha256: '',
        kind: undefined,
        status: 'failed',
        message: '',
        fileId: undefined,
        claims: 0,
        matched: 0,
        unmatched: 0,
        reversals: 0,
        items: 0,
        recovered: 0,
        recoveredAmount: 0,
        quarantined: [],
        skippedInterchanges: [],
        error: undefined,
    };
}
function failed(path, error) {
    const code = error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
        ? error.code
        : 'INGEST_UNREADABLE';
    const message = error instanceof Error ? error.message : String(error);
    return { ...emptyResult(path), status: 'failed', message, error: { code, message } };
}
async function sha256Of(path) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path))
        hash.update(chunk);
    return hash.digest('hex');
}
function isUniqueViolation(error) {
    let current = error;
    for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
        if ('code' in current && current.code === '23505')
            return true;
        current = 'cause' in current ? current.cause : undefined;
    }
    return false;
}
/** Ingests one file in one transaction. */
export async function ingestFile(path, options) {
    const result = emptyResult(path);
    let size;
    try {
        size = (await stat(path)).size;
        result.sha256 = await sha256Of(path);
    }
    catch (cause) {
        throw new IngestError('INGEST_UNREADABLE', `Cannot read ${path}: ${cause.message}`, { cause });
    }
    const db = options.handle.db;
    const existing = await db
        .selectFrom('ingest_file')
        .select(['id', 'kind'])
        .where('sha256', '=', result.sha256)
        .executeTakeFirst();
    if (existing !== undefined) {
        return {
            ...result,
            kind: existing.kind === '837' ? '837' : '835',
            status: 'already_ingested',
            fileId: Number(existing.id),
            message: `already ingested (same content as file ${existing.id})`,
        };
    }
    const kind = await detectX12Kind(path);
    result.kind = kind;
    try {
        await db.transaction().execute(async (trx) => {
            await storeFile(trx, path, size, kind, result, options);
        });
    }
    catch (error) {
        if (isUniqueViolation(error)) {
            return {
                ...emptyResult(path),
                sha256: result.sha256,
                kind,
                status: 'already_ingested',
                message: 'already ingested (concurrently)',
            };
        }
        throw error;
    }
    return result;
}
async function storeFile(trx, path, size, kind, result, options) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const file = await trx
        .insertInto('ingest_file')
        .values({
        sha256: result.sha256,
        name: basename(path),
        kind,
        byte_size: size,
        status: 'ingesting',
    })
        .returning('id')
        .executeTakeFirstOrThrow();
    const fileId = Number(file.id);
    result.fileId = fileId;
    const state = {
        fileId,
        user: options.user ?? 'ingest',
        engine: options.engine,
        profiles: await loadPayerProfiles(trx),
        pendingReversals: new Map(),
        recoveredItems: new Map(),
    };
    // On PostgreSQL an 835's lookups run on a pool connection while the previous batch is written
    // in the transaction, so reading, matching and classifying overlap with the inserts. PGlite has
    // one connection: everything goes through the transaction.
    const reader = options.handle.engine === 'postgres' && kind === '835' ? options.handle.db : trx;
    let committing = Promise.resolve();
    const interchanges = [];
    const groups = new Set();
    const transactions = [];
    let senderId;
    let skipping = false;
    let interchangeSeen = 0;
    let setClaims = 0;
    let savepoint = 0;
    let remittanceId;
    let claims837 = [];
    let claims835 = [];
    let setResult = { matched: 0, unmatched: 0, reversals: 0, items: 0, recovered: 0, recoveredAmount: 0 };
    let progress = 0;
    // One batch is written while the next one is parsed: queries on the transaction's connection
    // run in order, so at most one write is in flight and memory stays at two batches.
    let inFlight = Promise.resolve();
    const write = async (batch837, batch835) => {
        if (batch837.length > 0)
            await storeClaims837(trx, fileId, batch837);
        if (batch835.length > 0) {
            if (remittanceId === undefined) {
                const first = batch835[0];
                if (first !== undefined)
                    remittanceId = await storeRemittanceHeader(trx, fileId, first.header);
            }
            if (remittanceId !== undefined) {
                const prepared = await prepareRemitClaims(reader, state, remittanceId, batch835);
                const batch = prepared.result;
                await committing;
                committing = commitRemitClaims(trx, state, prepared);
                committing.catch(() => undefined);
                setResult = {
                    matched: setResult.matched + batch.matched,
                    unmatched: setResult.unmatched + batch.unmatched,
                    reversals: setResult.reversals + batch.reversals,
                    items: setResult.items + batch.items,
                    recovered: setResult.recovered + batch.recovered,
                    recoveredAmount: setResult.recoveredAmount + batch.recoveredAmount,
                };
            }
        }
        options.onProgress?.(path, progress);
    };
    /** Starts writing the staged claims (waiting for the previous write first). */
    const flush = async () => {
        await inFlight;
        if (claims837.length === 0 && claims835.length === 0)
            return;
        const batch837 = claims837;
        const batch835 = claims835;
        claims837 = [];
        claims835 = [];
        progress += batch837.length + batch835.length;
        inFlight = write(batch837, batch835);
        // Awaited later by drain(); this branch only keeps an early failure from being "unhandled".
        inFlight.catch(() => undefined);
    };
    /** Waits until everything staged is written. */
    const drain = async () => {
        await flush();
        await inFlight;
        await committing;
    };
    const handle = async (event) => {
        switch (event.type) {
            case 'interchange-start': {
                interchangeSeen++;
                senderId ??= event.senderId;
                const prior = await trx
                    .selectFrom('interchange')
                    .select('file_id')
                    .where('sender_id', '=', event.senderId)
                    .where('control', '=', event.control)
                    .executeTakeFirst();
                skipping = prior !== undefined;
                if (prior !== undefined) {
                    result.skippedInterchanges.push({
                        senderId: event.senderId,
                        control: event.control,
                        fileId: Number(prior.file_id),
                    });
                    return;
                }
                await trx
                    .insertInto('interchange')
                    .values({
                    file_id: fileId,
                    sender_id: event.senderId,
                    control: event.control,
                    receiver_id: event.receiverId,
                    interchange_date: null,
                })
                    .execute();
                interchanges.push(event.control);
                return;
            }
            case 'transaction-start':
                if (skipping)
                    return;
                savepoint++;
                setClaims = 0;
                remittanceId = undefined;
                setResult = { matched: 0, unmatched: 0, reversals: 0, items: 0, recovered: 0, recoveredAmount: 0 };
                state.pendingReversals.clear();
                await sql.raw(`savepoint st_${savepoint}`).execute(trx);
                return;
            case 'remittance835-header':
                if (skipping)
                    return;
                remittanceId = await storeRemittanceHeader(trx, fileId, event.header);
                return;
            case 'claim837':
                if (skipping)
                    return;
                claims837.push(event.claim);
                setClaims++;
                if (claims837.length >= batchSize)
                    await flush();
                return;
            case 'claim835':
                if (skipping)
                    return;
                claims835.push(event.claim);
                setClaims++;
                if (claims835.length >= batchSize)
                    await flush();
                return;
            case 'transaction-end': {
                if (skipping)
                    return;
                if (event.quarantined) {
                    // The set is stored nowhere: drop what was staged and undo what was flushed.
                    claims837 = [];
                    claims835 = [];
                    await inFlight;
                    await committing;
                    await sql.raw(`rollback to savepoint st_${savepoint}`).execute(trx);
                    const envelope = event.envelope;
                    const reasons = event.issues.filter((issue) => issue.severity === 'error');
                    await trx
                        .insertInto('quarantine')
                        .values({
                        file_id: fileId,
                        interchange_control: envelope.interchangeControl,
                        group_control: envelope.groupControl,
                        transaction_type: envelope.transactionType,
                        transaction_control: envelope.transactionControl,
                        segment_count: event.segmentCount,
                        reasons: JSON.stringify(reasons.length > 0 ? reasons : event.issues),
                    })
                        .execute();
                    result.quarantined.push({
                        interchangeControl: envelope.interchangeControl,
                        groupControl: envelope.groupControl,
                        transactionControl: envelope.transactionControl,
                        reasons: reasons.length > 0 ? reasons : event.issues,
                    });
                    return;
                }
                await drain();
                if (event.remittance !== undefined) {
                    remittanceId ??= await storeRemittanceHeader(trx, fileId, event.remittance.header);
                    await finishRemittance(trx, remittanceId, event.remittance.providerAdjustments, setClaims);
                }
                await sql.raw(`release savepoint st_${savepoint}`).execute(trx);
                groups.add(event.envelope.groupControl);
                transactions.push(event.envelope.transactionControl);
                result.claims += setClaims;
                result.matched += setResult.matched;
                result.unmatched += setResult.unmatched;
                result.reversals += setResult.reversals;
                result.items += setResult.items;
                result.recovered += setResult.recovered;
                result.recoveredAmount += setResult.recoveredAmount;
                return;
            }
            default:
                return;
        }
    };
    try {
        for await (const events of readX12File(path)) {
            for (const event of events)
                await handle(event);
        }
    }
    finally {
        // Never leave a write running past the transaction, even when reading failed.
        await inFlight.catch(() => undefined);
        await committing.catch(() => undefined);
    }
    await drain();
    const allSkipped = interchangeSeen > 0 && interchanges.length === 0;
    const status = allSkipped ? 'duplicate' : result.quarantined.length > 0 ? 'partial' : 'ingested';
    await trx
        .updateTable('ingest_file')
        .set({
        sender_id: senderId ?? null,
        interchange_controls: interchanges,
        group_controls: [...groups],
        transaction_controls: transactions,
        status,
        claim_count: result.claims,
        quarantined_count: result.quarantined.length,
        skipped_interchange_count: result.skippedInterchanges.length,
    })
        .where('id', '=', fileId)
        .execute();
    await recordAudit(trx, {
        actor: options.user ?? 'ingest',
        entity: 'ingest_file',
        entityId: fileId,
        action: 'ingest',
        afterStatus: status,
        note: `${kind}: ${result.claims} claims, ${result.quarantined.length} quarantined set(s), ${result.items} rework item(s)`,
    });
    if (allSkipped) {
        const from = [...new Set(result.skippedInterchanges.map((s) => s.fileId))].join(', ');
        result.status = 'already_ingested';
        result.message = `already ingested (interchange ${result.skippedInterchanges.map((s) => `${s.senderId}/${s.control}`).join(', ')} stored from file ${from})`;
    }
    else {
        result.status = result.quarantined.length > 0 ? 'partial' : 'ingested';
        result.message =
            `${result.claims} claims stored` +
                (result.quarantined.length > 0 ? `, ${result.quarantined.length} transaction set(s) quarantined` : '') +
                (result.skippedInterchanges.length > 0
                    ? `, ${result.skippedInterchanges.length} interchange(s) already ingested`
                    : '');
    }
}
//# sourceMappingURL=ingest-files.js.map