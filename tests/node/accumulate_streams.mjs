// Runs the official openai npm package's Responses and Chat Completions accumulators over recorded
// bodies, offline (a `fetch` that answers with the body), and prints what each gave as JSON lines:
//   node accumulate_streams.mjs responses|chat FILE...
// Each line: {"file": ..., "final": <finalResponse() / finalChatCompletion()> | null, "error": ... | null}
import { readFileSync } from "node:fs";
import OpenAI from "openai";

const [kind, ...files] = process.argv.slice(2);
if (!["responses", "chat"].includes(kind) || files.length === 0) {
  console.error("usage: node accumulate_streams.mjs responses|chat FILE...");
  process.exit(2);
}

for (const file of files) {
  const body = readFileSync(file);
  const client = new OpenAI({
    apiKey: "sk-test-fake-node-key",
    baseURL: "http://node.test/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
  const line = { file, final: null, error: null };
  try {
    if (kind === "responses") {
      const stream = client.responses.stream({ model: "gpt-test", input: "hi" });
      line.final = await stream.finalResponse();
    } else {
      const stream = client.chat.completions.stream({ model: "gpt-test", messages: [{ role: "user", content: "hi" }] });
      line.final = await stream.finalChatCompletion();
    }
  } catch (error) {
    line.error = `${error?.constructor?.name}: ${error?.message}`;
  }
  process.stdout.write(JSON.stringify(line) + "\n");
}
