import { ApiError } from '~/editor/api';

/** Uploads one file as multipart/form-data (the JSON `api()` helper cannot); errors come back as ApiError. */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch(`/api${path}`, { method: 'POST', body: form, credentials: 'same-origin' });
  const text = await response.text();
  let data: { error?: { code?: string; message?: string } } | undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? 'http_error', data?.error?.message ?? `the server answered ${response.status}`);
  return data as T;
}
