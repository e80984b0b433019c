// Every processor this codebase has. Add one line per new processor file.
import type { Processor } from './types';
import { processor as health } from './health';

export const processors: Processor[] = [health];
