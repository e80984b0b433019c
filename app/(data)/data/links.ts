// The data browser's URLs (a contract with other pages: /data/{projectId}/items/{itemType}/{itemId}).
import { browseSearch, type BrowseQuery } from '@/lib/data/browse/filters';

export type ItemType = 'prompt' | 'set' | 'judgement' | 'demonstration' | 'conversation';

export const itemHref = (projectId: string, type: ItemType, id: string) => `/data/${encodeURIComponent(projectId)}/items/${type}/${encodeURIComponent(id)}`;

export const listHref = (projectId: string, query: Partial<BrowseQuery>, over: Partial<BrowseQuery> = {}) => `/data/${encodeURIComponent(projectId)}?${browseSearch(query, over)}`;
