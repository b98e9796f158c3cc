import { notFound } from 'next/navigation';
import { decodeSegment } from '@/lib/domain/http/decode-segment';
import { AppError } from '@/lib/errors';

/** The props of a page under a `[name]` segment (an application, a pipeline, a run). */
export type NamedPageProps = { params: Promise<{ name: string }> };

/** Its title is the name as typed in the URL (a lone % kept as is). */
export async function nameMetadata({ params }: NamedPageProps) {
  return { title: decodeSegment((await params).name) };
}

/** The decoded name (the page checks the principal before it asks). */
export async function pageName({ params }: NamedPageProps): Promise<string> {
  return decodeSegment((await params).name);
}

/** What the service read, or Next's 404 page when it answers NOT_FOUND. */
export function orNotFound<T>(read: Promise<T>): Promise<T> {
  return read.catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
}
