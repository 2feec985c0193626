// Drives one run conversation through the official openai npm package's AssistantStream,
// against BASE_URL (a `harness serve` replay server), and prints what the SDK accumulated as JSON:
//   node stream_run.mjs BASE_URL THREAD_ID ASSISTANT_ID
// Tool calls are answered as the harness's built-in conversation answers them
// (harness/cli/conversation.py: tool_output), so the requests match the recording.
import OpenAI from "openai";

const [baseURL, threadId, assistantId] = process.argv.slice(2);
if (!baseURL || !threadId || !assistantId) {
  console.error("usage: node stream_run.mjs BASE_URL THREAD_ID ASSISTANT_ID");
  process.exit(2);
}

const client = new OpenAI({ apiKey: "sk-test-fake-node-key", baseURL, maxRetries: 0, timeout: 20000 });
const toolOutput = (name, args) => `${name} returned ok for ${args}`;

// messages: the SDK's own accumulation of the deltas (finalMessages); doneMessages: the
// thread.message.completed payloads as the SDK hands them to `messageDone` listeners.
const result = { runs: [], runSteps: {}, messages: {}, doneMessages: {}, textDeltas: [] };
let stream = client.beta.threads.runs.stream(threadId, { assistant_id: assistantId });
for (let round = 0; round < 8; round += 1) {
  stream.on("textDelta", (delta) => result.textDeltas.push(delta.value ?? ""));
  stream.on("messageDone", (message) => {
    result.doneMessages[message.id] = message;
  });
  const run = await stream.finalRun();
  result.runs.push(run);
  for (const step of await stream.finalRunSteps()) result.runSteps[step.id] = step;
  for (const message of await stream.finalMessages()) result.messages[message.id] = message;
  if (run.status !== "requires_action") break;
  const outputs = run.required_action.submit_tool_outputs.tool_calls.map((call) => ({
    tool_call_id: call.id,
    output: toolOutput(call.function.name, call.function.arguments),
  }));
  stream = client.beta.threads.runs.submitToolOutputsStream(run.id, {
    thread_id: threadId,
    tool_outputs: outputs,
  });
}
process.stdout.write(JSON.stringify(result) + "\n");
