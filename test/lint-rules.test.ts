// The layering rules of eslint.config.js fire where they should (docs/design.md, "Layers and arrows").
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();
async function messages(filePath: string, code: string) {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => m.message);
}

describe('import arrows', () => {
  it('app/ may not import the database, lib/ml, bullmq or tensorflow', async () => {
    expect(await messages('app/x/page.tsx', `import { prisma } from '@/lib/db';\nexport const a = prisma;\n`)).toEqual([
      expect.stringMatching(/only through lib\/data/),
    ]);
    expect(await messages('app/x/page.tsx', `import { GPT } from '../../lib/ml/model/gpt';\nexport const a = GPT;\n`)).toEqual([
      expect.stringMatching(/never loads lib\/ml/),
    ]);
    expect(await messages('app/api/x/route.ts', `import { Queue } from 'bullmq';\nexport const a = Queue;\n`)).toEqual([
      expect.stringMatching(/lib\/queue producers/),
    ]);
    expect(await messages('app/api/x/route.ts', `import * as tf from '@tensorflow/tfjs-core';\nexport const a = tf;\n`)).toHaveLength(1);
    expect(await messages('app/api/x/route.ts', `import { route } from '@/lib/http';\nexport const a = route;\n`)).toEqual([]);
  });

  it('lib/ml may not import Next, Prisma, BullMQ or lib/env', async () => {
    for (const imp of [`next/server`, `bullmq`, `../env`, `../../lib/db`, `@prisma/client`, `../../lib/queue/names`]) {
      expect(await messages('lib/ml/x.ts', `import * as m from '${imp}';\nexport const a = m;\n`), imp).toHaveLength(1);
    }
    expect(await messages('lib/ml/x.ts', `import * as tf from '@tensorflow/tfjs-core';\nexport const a = tf;\n`)).toEqual([]);
  });

  it('the worker reaches the database only through lib/data', async () => {
    expect(await messages('worker/processors/x.ts', `import { PrismaClient } from '../../lib/generated/prisma/client';\nexport const a = PrismaClient;\n`)).toHaveLength(1);
  });
});

describe('lib/db, dynamic imports and the other arrows', () => {
  it('worker/, scripts/ and bench/ may not import lib/db, statically or dynamically; their tests may', async () => {
    expect(await messages('worker/main.ts', `import { prisma } from '../lib/db';\nexport const a = prisma;\n`)).toEqual([expect.stringMatching(/use lib\/data use cases/)]);
    expect(await messages('scripts/start.ts', `const { prisma } = await import('../lib/db');\nexport const a = prisma;\n`)).toEqual([expect.stringMatching(/use lib\/data use cases/)]);
    expect(await messages('bench/labeling.ts', 'const { prisma } = await import(`../lib/db`);\nexport const a = prisma;\n')).toHaveLength(1);
    expect(await messages('lib/queue/x.ts', `import { prisma } from '@/lib/db';\nexport const a = prisma;\n`)).toHaveLength(1);
    expect(await messages('worker/x.test.ts', `import { prisma } from '../lib/db';\nexport const a = prisma;\n`)).toEqual([]);
    expect(await messages('scripts/x.ts', `const { closeDatabase } = await import('../lib/data/close-database');\nexport const a = closeDatabase;\n`)).toEqual([]);
  });

  it('dynamic imports obey the same arrows, and a computed path is refused outside lib/ml', async () => {
    expect(await messages('app/x/page.tsx', `export const m = await import('../../lib/ml/model/gpt');\n`)).toEqual([expect.stringMatching(/never loads lib\/ml/)]);
    expect(await messages('lib/ml/x.ts', `export const m = await import('../data/seed');\n`)).toEqual([expect.stringMatching(/nothing of ours but lib\/shared/)]);
    expect(await messages('scripts/x.ts', `const p = '../lib/db';\nexport const m = await import(p);\n`)).toEqual([expect.stringMatching(/computed path/)]);
  });

  it('lib/shared imports zod only; lib/ never imports app/; app/ never imports worker/', async () => {
    expect(await messages('lib/shared/x.ts', `import { z } from 'zod';\nexport const a = z;\n`)).toEqual([]);
    expect(await messages('lib/shared/x.ts', `import { env } from '../env';\nexport const a = env;\n`)).toEqual([expect.stringMatching(/zod-only/)]);
    expect(await messages('lib/data/x.test.ts', `import { POST } from '@/app/api/tasks/next/route';\nexport const a = POST;\n`)).toEqual([expect.stringMatching(/lib\/ never imports app\//)]);
    expect(await messages('app/x/page.tsx', `import { loadProcessors } from '@/worker/processors';\nexport const a = loadProcessors;\n`)).toEqual([expect.stringMatching(/imports lib\/ only/)]);
  });
});

describe('no synchronous tensor reads where WebGPU may run', () => {
  it('flags dataSync/arraySync/bufferSync in lib/ml, worker/ and scripts/device, not in tests or elsewhere', async () => {
    const code = `import * as tf from '@tensorflow/tfjs-core';\nexport const a = (t: tf.Tensor) => [t.dataSync(), t.arraySync(), t.bufferSync()];\n`;
    for (const file of ['lib/ml/train/x.ts', 'worker/stages/x.ts', 'scripts/device/x.ts']) {
      expect(await messages(file, code), file).toEqual([
        expect.stringMatching(/^dataSync\(\) cannot read a GPU tensor.*await t\.data\(\)/),
        expect.stringMatching(/^arraySync\(\)/),
        expect.stringMatching(/^bufferSync\(\)/),
      ]);
    }
    for (const file of ['lib/ml/train/x.test.ts', 'lib/ml/train/testkit.ts', 'bench/x.ts', 'lib/data/x.ts']) expect(await messages(file, code), file).toEqual([]);
    expect(await messages('lib/ml/x.ts', `import * as tf from '@tensorflow/tfjs-core';\nexport const a = async (t: tf.Tensor) => t.data();\n`)).toEqual([]);
  });
});
