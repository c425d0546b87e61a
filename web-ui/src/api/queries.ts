import { QueryClient, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, ApiError } from './client';
import type {
  Connection,
  Destination,
  DestinationDefinition,
  Source,
  Transformation,
  TransformationVersion,
} from './types';

// The one cache of server data. Every key of a workspace's data starts with ['ws', workspaceId], so a workspace
// switch reads other entries (never the previous workspace's rows), and a write invalidates the workspace's keys.

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // a 4xx will not get better by asking again; a network blip or a 5xx may
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

export const keys = {
  workspace: (ws: string) => ['ws', ws] as const,
  sources: (ws: string) => ['ws', ws, 'sources'] as const,
  source: (ws: string, id: string) => ['ws', ws, 'sources', id] as const,
  destinations: (ws: string) => ['ws', ws, 'destinations'] as const,
  destination: (ws: string, id: string) => ['ws', ws, 'destinations', id] as const,
  connections: (ws: string) => ['ws', ws, 'connections'] as const,
  transformations: (ws: string) => ['ws', ws, 'transformations'] as const,
  transformation: (ws: string, id: string) => ['ws', ws, 'transformations', id] as const,
  versions: (ws: string, id: string) => ['ws', ws, 'transformations', id, 'versions'] as const,
  /** data-plane reads through the relay: always of one workspace */
  dataplane: (ws: string, ...rest: unknown[]) => ['ws', ws, 'dataplane', ...rest] as const,
  definitions: ['destination-definitions'] as const,
  definition: (type: string) => ['destination-definitions', type] as const,
  instance: ['instance'] as const,
};

const base = (ws: string) => `/api/v1/workspaces/${ws}`;

function get<T>(path: string) {
  return ({ signal }: { signal: AbortSignal }) => api<T>(path, { signal });
}

export const useSources = (ws: string) => useQuery({ queryKey: keys.sources(ws), queryFn: get<Source[]>(`${base(ws)}/sources`) });

export const useSource = (ws: string, id: string) =>
  useQuery({ queryKey: keys.source(ws, id), queryFn: get<Source>(`${base(ws)}/sources/${id}`) });

export const useDestinations = (ws: string) =>
  useQuery({ queryKey: keys.destinations(ws), queryFn: get<Destination[]>(`${base(ws)}/destinations`) });

export const useDestination = (ws: string, id: string) =>
  useQuery({ queryKey: keys.destination(ws, id), queryFn: get<Destination>(`${base(ws)}/destinations/${id}`) });

export const useConnections = (ws: string) =>
  useQuery({ queryKey: keys.connections(ws), queryFn: get<Connection[]>(`${base(ws)}/connections`) });

export const useTransformations = (ws: string) =>
  useQuery({ queryKey: keys.transformations(ws), queryFn: get<Transformation[]>(`${base(ws)}/transformations`) });

export const useTransformation = (ws: string, id: string) =>
  useQuery({ queryKey: keys.transformation(ws, id), queryFn: get<Transformation>(`${base(ws)}/transformations/${id}`) });

export const useVersions = (ws: string, id: string) =>
  useQuery({
    queryKey: keys.versions(ws, id),
    queryFn: get<TransformationVersion[]>(`${base(ws)}/transformations/${id}/versions`),
    select: (versions) => [...versions].sort((a, b) => b.number - a.number),
  });

export const useDefinitions = () =>
  useQuery({
    queryKey: keys.definitions,
    queryFn: get<DestinationDefinition[]>('/api/v1/destination-definitions'),
    staleTime: Infinity,
  });

export const useDefinition = (type: string | undefined) =>
  useQuery({
    queryKey: keys.definition(type ?? ''),
    queryFn: get<DestinationDefinition>(`/api/v1/destination-definitions/${encodeURIComponent(type ?? '')}`),
    enabled: Boolean(type),
    staleTime: Infinity,
  });

export const useInstance = () =>
  useQuery({ queryKey: keys.instance, queryFn: get<{ dataPlaneUrl: string }>('/api/v1/instance'), staleTime: Infinity });

/**
 * Keeps the last answer of the same workspace on screen while a new key (another filter, the next poll) loads, but
 * never carries data over from another workspace.
 */
export function sameWorkspace(ws: string) {
  return <T,>(previous: T | undefined, previousQuery?: { queryKey: QueryKey }): T | undefined =>
    previousQuery?.queryKey[0] === 'ws' && previousQuery.queryKey[1] === ws ? previous : undefined;
}

/** After a write: every cached read of the workspace is refetched (they are few and small). */
export function useInvalidateWorkspace(ws: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.workspace(ws) });
}
