// The signed-in session: who I am, in which workspace, with which role.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrf, SIGNED_OUT_EVENT, type Me } from './api';

interface AuthValue {
  me: Me | null;
  loading: boolean;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  switchWorkspace: (id: number) => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const qc = useQueryClient();

  const accept = (m: Me | null) => {
    setCsrf(m?.csrf_token ?? null);
    setMe(m);
  };
  const refresh = async () => {
    try {
      accept(await api.get<Me>('/api/v1/me'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) accept(null);
      else throw e;
    }
  };
  useEffect(() => {
    refresh().finally(() => setLoading(false));
    const onSignedOut = () => {
      accept(null);
      qc.clear();
    };
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, []);

  const value: AuthValue = {
    me,
    loading,
    refresh,
    login: async (email, password) => {
      accept(await api.post<Me>('/api/v1/auth/login', { email, password }));
      qc.clear();
    },
    logout: async () => {
      try {
        await api.post('/api/v1/auth/logout');
      } finally {
        accept(null);
        qc.clear();
      }
    },
    switchWorkspace: async (id) => {
      accept(await api.post<Me>('/api/v1/auth/switch', { workspace_id: id }));
      qc.clear();
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

// The signed-in session; only for components rendered behind the sign-in gate.
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
