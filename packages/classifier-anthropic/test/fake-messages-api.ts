import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake model does with one request. */
export type Behaviour =
  | { kind: 'tool'; input: unknown; usage?: { input_tokens: number; output_tokens: number } }
  | { kind: 'status'; status: number; type: string; headers?: Record<string, string> }
  | { kind: 'slow'; ms: number }
  | { kind: 'refusal' }
  | { kind: 'text'; text: string };

/** One request the fake received. */
export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    max_tokens: number;
    system?: string;
    messages: { role: string; content: string }[];
    tools?: { name: string; input_schema: unknown }[];
    tool_choice?: { type: string; name?: string };
  };
  /** The note between the customer_note markers. */
  note: string;
}

/**
 * A fake Anthropic Messages API: a real HTTP server on 127.0.0.1 (random port)
 * answering `POST /v1/messages` as `respond` says, in the API's JSON shapes.
 */
export async function startFakeMessagesApi(respond: (req: SeenRequest) => Behaviour) {
  const requests: SeenRequest[] = [];
  const open = new Set<ServerResponse>();
  let responder = respond;
  let n = 0;
  const server = createServer(async (req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as SeenRequest['body'];
    const content = body.messages?.[0]?.content ?? '';
    const m = /<customer_note id="([0-9a-f]+)">\n([\s\S]*)\n<\/customer_note id="\1">/.exec(
      content,
    );
    const seen: SeenRequest = {
      path: req.url ?? '',
      headers: req.headers,
      body,
      note: m?.[2] ?? '',
    };
    requests.push(seen);
    const b = responder(seen);
    const id = `msg_${++n}`;
    const base = { id, type: 'message', role: 'assistant', model: body.model, stop_sequence: null };
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': `req_${n}`,
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };
    switch (b.kind) {
      case 'tool':
        return json(200, {
          ...base,
          content: [
            {
              type: 'tool_use',
              id: `toolu_${n}`,
              name: body.tool_choice?.name ?? 'x',
              input: b.input,
            },
          ],
          stop_reason: 'tool_use',
          usage: b.usage ?? { input_tokens: 120, output_tokens: 30 },
        });
      case 'status':
        return json(
          b.status,
          { type: 'error', error: { type: b.type, message: `fake ${b.type}` } },
          b.headers,
        );
      case 'slow':
        setTimeout(() => {
          if (!res.writableEnded && !res.destroyed)
            json(200, {
              ...base,
              content: [],
              stop_reason: 'end_turn',
              usage: { input_tokens: 1, output_tokens: 1 },
            });
        }, b.ms).unref();
        return;
      case 'refusal':
        return json(200, {
          ...base,
          content: [],
          stop_reason: 'refusal',
          usage: { input_tokens: 50, output_tokens: 0 },
        });
      case 'text':
        return json(200, {
          ...base,
          content: [{ type: 'text', text: b.text }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 80, output_tokens: 12 },
        });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set(next: (req: SeenRequest) => Behaviour) {
      responder = next;
    },
    async close() {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
