import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryNotificationEnvelope } from '../index';

// Copies of ../../shared/fixtures/registry-notifications (recorded from distribution 2.8.2 + skopeo 1.9.3).
const dir = join(__dirname, 'fixtures');
type Recorded = { headers: Record<string, string>; body: unknown };
const recordings: Array<[string, Recorded]> = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => {
    const content = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recorded | Recorded[];
    return (Array.isArray(content) ? content : [content]).map((r, i) => [`${f}#${i}`, r] as [string, Recorded]);
  });

describe('registry notification envelope', () => {
  it('has fixtures to check', () => expect(recordings.length).toBeGreaterThanOrEqual(6));

  it.each(recordings)('accepts the recorded %s and keeps every field', (_name, recorded) => {
    const parsed = RegistryNotificationEnvelope.parse(recorded.body);
    // Every field of the recording is known to the schema: parsing loses nothing.
    expect(parsed).toEqual(recorded.body);
    expect(parsed.events).toHaveLength(1);
    expect(recorded.headers['content-type']).toBe('application/vnd.docker.distribution.events.v1+json');
  });

  const push = () =>
    structuredClone(
      recordings.find(([n]) => n.startsWith('notification-push-manifest'))?.[1].body as {
        events: Array<Record<string, unknown> & { target: Record<string, unknown> }>;
      },
    );

  it('tolerates unknown fields (a newer registry) and drops them', () => {
    const body = push();
    body.events[0]['newField'] = 1;
    body.events[0].target['annotations'] = { a: 'b' };
    const parsed = RegistryNotificationEnvelope.parse(body);
    expect(parsed.events[0]).not.toHaveProperty('newField');
  });

  it('accepts an anonymous actor ({})', () => {
    const body = push();
    body.events[0]['actor'] = {};
    expect(RegistryNotificationEnvelope.safeParse(body).success).toBe(true);
  });

  const hostile: Array<[string, (b: ReturnType<typeof push>) => void]> = [
    ['no events', (b) => delete (b as Partial<typeof b>).events],
    ['unknown action', (b) => (b.events[0]['action'] = 'explode')],
    ['missing id', (b) => delete b.events[0]['id']],
    ['path traversal in repository', (b) => (b.events[0].target['repository'] = '../etc/passwd')],
    ['upper-case repository', (b) => (b.events[0].target['repository'] = 'NS/Repo')],
    ['tag with a slash', (b) => (b.events[0].target['tag'] = 'v1/x')],
    ['digest without algorithm', (b) => (b.events[0].target['digest'] = 'dfb60bfd18d8')],
    ['negative size', (b) => (b.events[0].target['size'] = -1)],
    ['size as a string', (b) => (b.events[0].target['size'] = '559')],
  ];
  it.each(hostile)('refuses %s', (_why, mutate) => {
    const body = push();
    mutate(body);
    expect(RegistryNotificationEnvelope.safeParse(body).success).toBe(false);
  });
});
