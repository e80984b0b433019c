// The layering rules of eslint.config.js fire where they should (DESIGN.md §3).
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
