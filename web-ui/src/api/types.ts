// Shapes of the config backend's API (config-backend/src/main/java/.../*Controller.java).

export type Role = 'ADMIN' | 'EDITOR' | 'VIEWER';

export interface Me {
  id: string;
  email: string;
  name: string;
  instanceAdmin: boolean;
  /** Someone else chose the password: nothing but changing it is allowed until then. */
  mustChangePassword?: boolean;
  workspaces: { workspaceId: string; role: Role }[];
}

/** GET /api/v1/auth/session: who the session cookie belongs to, if anyone. */
export interface CurrentSession {
  user: Me | null;
}

export interface LoginResponse {
  /** Always null for the web app: its session is the HttpOnly cookie the answer sets. */
  token: string | null;
  expiresAt: string;
  user: Me;
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface Source {
  id: string;
  workspaceId: string;
  name: string;
  type: string;
  category: string;
  writeKey: string;
  enabled: boolean;
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  [key: string]: unknown;
};

export interface DestinationDefinition {
  id: string;
  name: string;
  displayName: string;
  configSchema: JsonSchema | null;
  supportedMessageTypes: string[] | null;
  secretKeys: string[];
  transformAt: string;
  origin: string;
}

export interface Destination {
  id: string;
  workspaceId: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  enabled: boolean;
  transformationVersionId: string | null;
  revisionId: string;
  createdAt: string;
  updatedAt: string;
}

export interface Connection {
  id: string;
  workspaceId: string;
  sourceId: string;
  destinationId: string;
  enabled: boolean;
  createdAt: string;
}

export interface TransformationVersion {
  id: string;
  transformationId: string;
  workspaceId: string;
  number: number;
  code: string;
  language: string;
  createdBy: string;
  createdAt: string;
}

export interface Transformation {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  language: string;
  latestVersion: TransformationVersion | null;
  createdAt: string;
  updatedAt: string;
}

/** The transformer's POST /transformation/test answer. */
export interface TestRun {
  outputs: unknown[];
  errors: { index: number; messageId?: string; error: string }[];
  logs: string[];
  durationMs: number;
}
