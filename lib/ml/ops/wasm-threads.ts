// Lets tfjs-backend-wasm's threaded build start its pthread workers under Node.
//
// WHY: the threaded build hands Emscripten its worker script and its own factory as Blobs
// (blob: URLs). Node's worker_threads refuse blob: URLs (ERR_WORKER_PATH), so in Node the
// threaded backend fails to initialise. While it starts, Blob construction is recorded and
// URL.createObjectURL is answered with a temporary file holding the same text; the worker file
// is prefixed so that, inside the worker, the factory Blob it receives also resolves to a file.
// Only Blobs recorded here are redirected; every other Blob keeps Node's behaviour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let dir: string | null = null;
const files = new Map<string, string>(); // text → file
let factoryFile: string | null = null;
const FACTORY_PRELUDE =
  "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),require$$4=require('os'),commonjsGlobal=globalThis;\n";

function fileFor(text: string): string {
  let file = files.get(text);
  if (!file) {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hone-wasm-threads-'));
    file = path.join(dir, `blob-${files.size}.js`);
    fs.writeFileSync(file, text);
    files.set(text, file);
  }
  return file;
}

/** Runs fn (the backend's initialisation) with blob: URLs backed by files. */
export async function withFileBackedBlobs<T>(fn: () => Promise<T>): Promise<T> {
  const OriginalBlob = globalThis.Blob;
  const texts = new WeakMap<Blob, string>();
  class RecordingBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (parts && parts.every((p) => typeof p === 'string')) {
        const text = (parts as string[]).join('');
        texts.set(this, text);
        // The factory's source refers to the bundle's renamed requires (tf-backend-wasm.node.js
        // lines `var require$$0 = require('fs')` …); the worker evaluates it on its own.
        if (text.startsWith('var WasmBackendModuleThreadedSimd')) factoryFile = fileFor(FACTORY_PRELUDE + text);
      }
    }
  }
  const originalCreate = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob: Blob) => {
    const text = texts.get(blob);
    if (text === undefined) return originalCreate(blob);
    // The worker script: inside the worker, the factory Blob it is sent resolves to its file.
    const prefix = factoryFile ? `URL.createObjectURL=()=>${JSON.stringify(factoryFile)};URL.revokeObjectURL=()=>{};` : '';
    return fileFor(prefix + text);
  };
  globalThis.Blob = RecordingBlob;
  try {
    return await fn();
  } finally {
    // Workers may be added later (a larger thread pool), so createObjectURL stays redirected
    // for the Blobs recorded here; Blob itself is restored.
    globalThis.Blob = OriginalBlob;
    process.once('exit', () => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
  }
}
