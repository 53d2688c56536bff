import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI_MODES, cli, notebookDir, setCliMode } from '../../helpers/cli';
import { tempDir } from '../../helpers/notebook';

interface Member {
  fingerprint: string;
  engagementId: string;
  name: string;
  revokedAt: string | null;
}

async function info(dir: string): Promise<{ device: { fingerprint: string; name: string } }> {
  return JSON.parse((await cli(dir, 'info', '--json')).stdout);
}

/** `outpost hub members …` on a hub's embedded store (no hub running on it). */
async function members(hubDir: string): Promise<Member[]> {
  const listed = await cli(tempDir(), 'hub', 'members', 'list', '--json', '--data', hubDir);
  expect(listed).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(listed.stdout);
}

// The hub's side needs no notebook: one mode is enough.
describe('outpost hub members (CLI)', () => {
  it('adds a device by key, lists and removes it, and refuses what is not a key', async () => {
    const [a, hubDir] = [await notebookDir(), tempDir()];
    const { device } = await info(a);
    const engagement = '0c6f3d4e-8a55-4d87-9a0b-5f1e2d3c4b5a';
    const added = await cli(a, 'hub', 'members', 'add', device.fingerprint, '--engagement', engagement, '--name', 'ana', '--data', hubDir);
    expect(added).toMatchObject({ code: 0, stdout: `Device ${device.fingerprint} may sync engagement ${engagement}.\n` });
    expect(await members(hubDir)).toMatchObject([
      { fingerprint: device.fingerprint, engagementId: engagement, name: 'ana', revokedAt: null },
    ]);

    const bad = await cli(a, 'hub', 'members', 'add', 'not-a-key', '--engagement', engagement, '--data', hubDir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('public key (base64) or its key fingerprint');
    expect(await members(hubDir)).toHaveLength(1);

    expect((await cli(a, 'hub', 'members', 'remove', device.fingerprint, '--data', hubDir)).stdout).toContain(
      'removed from one engagement',
    );
    expect((await members(hubDir))[0]?.revokedAt).not.toBeNull();
  });
});

// --trusted reads the notebook: directly, and through the app holding it.
describe.each(CLI_MODES)('outpost hub members --trusted (CLI, %s)', (mode) => {
  beforeEach(() => setCliMode(mode));

  it('adds this notebook and every device it trusts from joined bundles with --trusted, and not revoked ones', async () => {
    const [lead, ana, bea, work, hubDir] = [await notebookDir(), await notebookDir(), await notebookDir(), tempDir(), tempDir()];
    await cli(bea, 'device', 'name', 'bea@laptop');
    await cli(ana, 'device', 'name', 'ana@laptop');
    const key = path.join(work, 'team.key');
    await cli(lead, 'key', 'create', '-o', key);
    // Ana and Bea each send the lead a bundle; the lead joins both, trusting their devices.
    for (const [dir, codename] of [
      [ana, 'HERON'],
      [bea, 'OSPREY'],
    ] as const) {
      await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', codename);
      const bundle = path.join(work, `${codename}.outpost`);
      expect((await cli(dir, 'bundle', 'export', '--engagement', codename, '--key-file', key, '-o', bundle)).code).toBe(0);
      expect((await cli(lead, 'bundle', 'import', bundle, '--key-file', key, '--trust')).code).toBe(0);
    }
    const beaDevice = (await info(bea)).device;
    const trusted = JSON.parse((await cli(lead, 'devices', 'list', '--json')).stdout) as Array<{ deviceId: string; name: string }>;
    const beaId = trusted.find((d) => d.name === 'bea@laptop')?.deviceId as string;
    expect((await cli(lead, 'devices', 'revoke', beaId)).code).toBe(0);

    const added = await cli(lead, 'hub', 'members', 'add', '--trusted', '--engagement', 'HERON', '--data', hubDir);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const heron = JSON.parse((await cli(lead, 'engagements', 'show', 'HERON', '--json')).stdout).id as string;
    const listed = await members(hubDir);
    expect(listed.map((m) => [m.fingerprint, m.engagementId, m.name]).sort()).toEqual(
      [
        [(await info(lead)).device.fingerprint, heron, (await info(lead)).device.name],
        [(await info(ana)).device.fingerprint, heron, 'ana@laptop'],
      ].sort(),
    );
    expect(listed.map((m) => m.fingerprint)).not.toContain(beaDevice.fingerprint);

    // --trusted adds the notebook's devices, not a key given besides; nothing is written then.
    const mixed = await cli(lead, 'hub', 'members', 'add', beaDevice.fingerprint, '--trusted', '--engagement', 'HERON', '--data', hubDir);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--trusted goes with add and no key');
    expect(await members(hubDir)).toHaveLength(2);
  });
});
