// Shared data hooks over the REST API.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type FieldDef, type NamedSet, type Preset, type Tag } from './api';

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export const useTags = () =>
  useQuery({ queryKey: ['tags'], queryFn: () => api.get<{ items: Tag[] }>('/api/v1/tags').then((r) => r.items) });
export const useFields = (includeArchived = false) =>
  useQuery({
    queryKey: ['fields', includeArchived],
    queryFn: () => api.get<{ items: FieldDef[] }>(`/api/v1/fields${includeArchived ? '?include_archived=true' : ''}`).then((r) => r.items),
  });
export const useGroups = () =>
  useQuery({ queryKey: ['groups'], queryFn: () => api.get<{ items: NamedSet[] }>('/api/v1/groups').then((r) => r.items) });
export const useDepartments = () =>
  useQuery({ queryKey: ['departments'], queryFn: () => api.get<{ items: NamedSet[] }>('/api/v1/departments').then((r) => r.items) });
export const usePresets = () =>
  useQuery({ queryKey: ['presets'], queryFn: () => api.get<{ items: Preset[] }>('/api/v1/presets').then((r) => r.items) });
