// The official TypeScript MCP client (SDK Client, StreamableHTTPClientTransport and an OAuthClientProvider) against
// Timether's /mcp, driven by TypeScriptClientTest. Protocol with the Java side, one JSON object per line:
//   stdout: {"event":"authorize","url":..} when the SDK wants the person's browser at that URL;
//           {"event":"waiting","for":<command>} when it waits for that command on stdin;
//           {"step":<name>,...} with each step's result; {"step":"failed","error":..} and exit 1 on a surprise.
//   stdin:  one command per line: "continue" or "call-again".
// Diagnostics go to stderr. No token, code or verifier is ever printed.
//
// Usage: node ts-client-e2e.mjs --server-url <api origin>/mcp --client-name <name> --customer <client name>
//        --idempotency-key <key>
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const { values: options } = parseArgs({
    options: {
        'server-url': { type: 'string' },
        'client-name': { type: 'string' },
        customer: { type: 'string' },
        'idempotency-key': { type: 'string' }
    }
});
for (const name of ['server-url', 'client-name', 'customer', 'idempotency-key']) {
    if (!options[name]) {
        console.error(`missing --${name}`);
        process.exit(2);
    }
}
const serverUrl = new URL(options['server-url']);

function report(object) {
    process.stdout.write(JSON.stringify(object) + '\n');
}

// Every HTTP exchange the SDK makes (method, path, status, WWW-Authenticate and an OAuth error code), so the Java
// side can check discovery and refusals. Bodies and Authorization headers are never kept: they hold secrets.
let exchanges = [];
async function recordingFetch(input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const response = await fetch(input, init);
    const exchange = { method, path: url.pathname, status: response.status };
    const challenge = response.headers.get('www-authenticate');
    if (challenge) {
        exchange.www_authenticate = challenge;
    }
    if (!response.ok && (response.headers.get('content-type') ?? '').includes('application/json')) {
        const body = await response.clone().json().catch(() => ({}));
        if (typeof body.error === 'string') {
            exchange.error = body.error;
        }
    }
    exchanges.push(exchange);
    return response;
}

function takeExchanges() {
    const taken = exchanges;
    exchanges = [];
    return taken;
}

// The loopback redirect target (RFC 8252 section 7.3): bound before registration so its port is known.
const callbacks = [];
let callbackArrived = () => {};
const callbackServer = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
        response.writeHead(404).end();
        return;
    }
    callbacks.push(url.searchParams);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Connected</title><p>You can close this window.</p>');
    callbackArrived();
});
await new Promise(resolve => callbackServer.listen(0, '127.0.0.1', resolve));
const redirectUrl = `http://127.0.0.1:${callbackServer.address().port}/callback`;

function nextCallback() {
    if (callbacks.length > 0) {
        return Promise.resolve(callbacks.shift());
    }
    return new Promise(resolve => {
        callbackArrived = () => resolve(callbacks.shift());
    });
}

/** Keeps everything in memory: the client registration, tokens, PKCE verifier and state of this one run. */
class InMemoryOAuthProvider {
    constructor() {
        this.client = undefined;
        this.savedTokens = undefined;
        this.verifier = undefined;
        this.lastState = undefined;
        this.authorizations = 0;
    }

    get redirectUrl() {
        return redirectUrl;
    }

    get clientMetadata() {
        return {
            client_name: options['client-name'],
            redirect_uris: [redirectUrl],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none'
        };
    }

    state() {
        this.lastState = randomBytes(16).toString('base64url');
        return this.lastState;
    }

    clientInformation() {
        return this.client;
    }

    saveClientInformation(information) {
        this.client = information;
    }

    tokens() {
        return this.savedTokens;
    }

    saveTokens(tokens) {
        this.savedTokens = tokens;
    }

    redirectToAuthorization(authorizationUrl) {
        this.authorizations++;
        report({ event: 'authorize', url: authorizationUrl.href });
    }

    saveCodeVerifier(verifier) {
        this.verifier = verifier;
    }

    codeVerifier() {
        return this.verifier;
    }

    invalidateCredentials(scope) {
        if (scope === 'all' || scope === 'client') {
            this.client = undefined;
        }
        if (scope === 'all' || scope === 'tokens') {
            this.savedTokens = undefined;
        }
        if (scope === 'all' || scope === 'verifier') {
            this.verifier = undefined;
        }
    }
}

const input = createInterface({ input: process.stdin });
const commands = input[Symbol.asyncIterator]();

async function awaitCommand(expected) {
    report({ event: 'waiting', for: expected });
    const { value, done } = await commands.next();
    if (done || value.trim() !== expected) {
        throw new Error(`expected the command ${expected} on stdin, got ${done ? 'end of input' : value}`);
    }
}

function describeError(error) {
    return {
        name: error?.constructor?.name ?? typeof error,
        message: String(error?.message ?? error),
        code: error?.code
    };
}

const provider = new InMemoryOAuthProvider();

function connectClient() {
    const client = new Client({ name: 'timether-ts-client-e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(serverUrl, { authProvider: provider, fetch: recordingFetch });
    return { client, transport };
}

async function call(client, name, args) {
    const result = await client.callTool({ name, arguments: args });
    return { is_error: result.isError === true, structured: result.structuredContent ?? null, text: textOf(result) };
}

function textOf(result) {
    return (result.content ?? [])
        .filter(part => part.type === 'text')
        .map(part => part.text)
        .join('\n');
}

// The confirmation token is a one-time credential: the report says only whether one came.
function redacted(result) {
    const token = result.structured?.confirmation_token;
    const structured = { ...result.structured, confirmation_token: typeof token === 'string' && token ? 'present' : null };
    return { is_error: result.is_error, structured, text: result.text.replaceAll(token ?? '\u0000', '<redacted>') };
}

async function signIn() {
    const first = connectClient();
    let refusal;
    try {
        await first.client.connect(first.transport);
    } catch (error) {
        refusal = error;
    }
    if (!(refusal instanceof UnauthorizedError)) {
        throw new Error(`connecting without a token should end in UnauthorizedError, got ${refusal}`);
    }
    report({ step: 'discover', error: describeError(refusal), exchanges: takeExchanges() });

    const callback = await nextCallback();
    report({
        step: 'callback',
        has_code: callback.has('code'),
        error: callback.get('error'),
        state_matches: callback.get('state') === provider.lastState,
        iss: callback.get('iss')
    });
    await first.transport.finishAuth(callback.get('code'));
    report({
        step: 'token',
        scope: provider.savedTokens?.scope,
        token_type: provider.savedTokens?.token_type,
        has_refresh_token: typeof provider.savedTokens?.refresh_token === 'string',
        exchanges: takeExchanges()
    });
}

async function run() {
    await signIn();

    const { client, transport } = connectClient();
    await client.connect(transport);
    report({
        step: 'connect',
        server: client.getServerVersion(),
        protocol_version: transport.protocolVersion ?? null,
        exchanges: takeExchanges()
    });

    const tools = await client.listTools();
    report({ step: 'list_tools', names: tools.tools.map(tool => tool.name), next_cursor: tools.nextCursor ?? null });

    report({ step: 'get_workspace_context', ...(await call(client, 'get_workspace_context', {})) });

    const create = { name: options.customer, idempotency_key: options['idempotency-key'] };
    const first = await call(client, 'create_client', create);
    report({ step: 'create_client', ...first });
    report({ step: 'create_client_again', ...(await call(client, 'create_client', create)) });
    await awaitCommand('continue');

    const listed = await call(client, 'list_clients', { limit: 200 });
    report({ step: 'list_clients', matching: listed.structured.clients.filter(row => row.name === options.customer) });
    const target = { client_id: first.structured?.id };
    const asked = await call(client, 'delete_client', target);
    const token = asked.structured?.confirmation_token;
    report({ step: 'delete_client', ...redacted(asked) });
    report({ step: 'get_client_before_confirming', ...(await call(client, 'get_client', target)) });
    await awaitCommand('continue');

    const confirmed = await call(client, 'delete_client', { ...target, confirmation_token: token });
    report({ step: 'delete_client_confirmed', ...confirmed });
    report({ step: 'get_client_after_delete', ...(await call(client, 'get_client', target)) });
    await awaitCommand('call-again');

    takeExchanges();
    const authorizationsBefore = provider.authorizations;
    let outcome;
    try {
        outcome = { answered: await call(client, 'get_workspace_context', {}) };
    } catch (error) {
        outcome = { error: describeError(error) };
    }
    report({
        step: 'after_revoke',
        ...outcome,
        asked_to_authorize_again: provider.authorizations > authorizationsBefore,
        exchanges: takeExchanges()
    });
    await client.close().catch(() => {});
}

try {
    await run();
    process.exitCode = 0;
} catch (error) {
    console.error(error);
    report({ step: 'failed', error: describeError(error), exchanges: takeExchanges() });
    process.exitCode = 1;
} finally {
    input.close();
    callbackServer.close();
    callbackServer.closeAllConnections();
}
