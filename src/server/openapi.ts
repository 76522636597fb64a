/**
 * The OpenAPI 3.1 document for the REST surface, generated from the same tool definitions (and so the
 * same zod schemas) as the MCP tools list. OpenAPI 3.1 schemas are JSON Schema 2020-12, the dialect zod
 * writes, so each tool's input and output schema goes in as it is.
 */
import type { ToolDefinition } from '../tools/define.js';
import { accountsFor, scopeFor, takesAccount, toolsFor, withAccountProperty } from './call.js';
import { problemType } from './http-util.js';
import { inputSchema, type JsonSchema, outputSchema, restMethod, restPath } from './rest-shape.js';
import type { Runtime } from './runtime.js';
import { SERVER_VERSION } from './server.js';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details: `detail` says what happened and what to do.',
  properties: {
    type: { type: 'string', format: 'uri', examples: [problemType('invalid_arguments')] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail'],
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const TOOLSET_TAGS: Record<string, string> = {
  account: 'The connection, and the audit log of changes',
  listings: 'Properties and their details',
  calendar: 'Availability, prices and blocked days',
  reservations: 'Stays, arrivals, departures and balances',
  messaging: 'Guest conversations, templates and replies',
  tasks: 'Cleaning and maintenance tasks',
  finance: 'Revenue, occupancy and reviews',
};

export function openApiDocument(runtime: Runtime): Record<string, unknown> {
  const tools = toolsFor(runtime);
  const paths: Record<string, unknown> = {};
  // Several accounts: every route takes `account`, one of the names this server serves.
  const accounts = takesAccount(runtime) ? accountsFor(runtime) : undefined;
  for (const def of tools)
    paths[restPath(def)] = { [restMethod(def).toLowerCase()]: operation(def, accounts) };
  const used = new Set(tools.map((t) => t.toolset));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hostaway MCP Server: REST API',
      version: SERVER_VERSION,
      description: [
        'Every MCP tool of this server as an HTTP route, from the same definitions: the same arguments, answers and error messages.',
        'Reads are GET with query parameters (arrays as repeated parameters or comma-separated). Changes are POST with a JSON body and take two calls: the first returns a preview and a `confirmationId`; the same body with that `confirmationId` commits it, once.',
        'Answers are JSON (the tool’s structured output), or its compact text with `Accept: text/plain`. Failures are RFC 9457 problem details.',
        runtime.mode === 'sandbox'
          ? 'This server runs in demo mode: the data comes from the built-in Hostaway sandbox.'
          : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'this server' }],
    tags: Object.entries(TOOLSET_TAGS)
      .filter(([name]) => used.has(name as ToolDefinition['toolset']))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A named token from the tokens file, the server’s single token, or an OAuth access token from the team’s authorization server. Tokens carry the `read` scope, the `write` scope or both.',
        },
      },
    },
    security: [{ bearer: [] }],
  };
}

function operation(def: ToolDefinition, accounts: string[] | undefined): Record<string, unknown> {
  const input = accounts ? withAccountProperty(inputSchema(def), accounts) : inputSchema(def);
  const op: Record<string, unknown> = {
    operationId: def.name,
    summary: def.title,
    description: `${def.description}\n\nNeeds the \`${scopeFor(def)}\` scope.`,
    tags: [def.toolset],
  };
  if (restMethod(def) === 'GET') {
    const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((input.required ?? []) as string[]);
    op.parameters = Object.entries(properties).map(([name, schema]) => {
      const { description, ...rest } = schema;
      return {
        name,
        in: 'query',
        required: required.has(name),
        ...(description !== undefined && { description }),
        schema: rest,
        ...(rest.type === 'array' && { style: 'form', explode: true }),
      };
    });
  } else {
    op.requestBody = { required: true, content: { 'application/json': { schema: input } } };
  }
  op.responses = {
    '200': {
      description:
        restMethod(def) === 'GET'
          ? 'The answer'
          : 'A preview with a confirmationId (first call), or the outcome of the change (second call)',
      content: {
        'application/json': { schema: outputSchema(def) },
        'text/plain': { schema: { type: 'string', description: 'The compact text an MCP client reads' } },
      },
    },
    '400': problem('The arguments are not valid: the detail names each field'),
    '401': problem('No valid token'),
    '403': problem(
      accounts
        ? 'The token lacks the scope this route needs, or does not cover the account named'
        : 'The token lacks the scope this route needs',
    ),
    '404': problem('Not found in Hostaway'),
    '429': problem("Hostaway's rate limits are busy: try again after Retry-After seconds"),
    '5XX': problem('Hostaway or the server failed'),
  };
  return op;
}
