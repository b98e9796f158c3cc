/** The authenticated caller of a request, however they authenticated. */
export interface Principal {
  userId: string;
  username: string;
  name: string | null;
  role: string;
  groups: string[];
  via: 'session' | 'token';
}
