// The pairing panel opens by itself once per episode: a user who closed it is not pestered by each
// new code; an open panel follows every code; "paired" ends the episode.
import assert from 'node:assert/strict';
import { PairingEpisodes } from '../../../src/extension/host/pairingEpisodes';

const needed = (accountId = 'a') => ({ accountId, pairing: { state: 'needed' as const, qrDataUrl: 'data:image/png;base64,AAAA' } });
const paired = (accountId = 'a') => ({ accountId, pairing: { state: 'paired' as const } });

describe('pairing panel episodes', () => {
  it('opens once per episode, refreshes while open, and stays closed once the user closed it', () => {
    const episodes = new PairingEpisodes();
    assert.equal(episodes.decide(needed(), false), 'open');
    assert.equal(episodes.decide(needed(), true), 'refresh', 'a new code updates the open panel');
    // The user closed the panel: the next codes of this episode do not reopen it.
    assert.equal(episodes.decide(needed(), false), 'none');
    assert.equal(episodes.decide(needed(), false), 'none');
    // Another account has its own episode.
    assert.equal(episodes.decide(needed('b'), false), 'open');
  });

  it('ends the episode on paired: the open panel says so, and the next need opens again', () => {
    const episodes = new PairingEpisodes();
    assert.equal(episodes.decide(needed(), false), 'open');
    assert.equal(episodes.decide(paired(), true), 'paired');
    assert.equal(episodes.decide(paired(), false), 'none', 'nothing to say when no panel is open');
    assert.equal(episodes.decide(needed(), false), 'open', 'logged out later: a new episode');
  });

  it('closes the panel of an account that went away, and forgets its episode', () => {
    const episodes = new PairingEpisodes();
    assert.equal(episodes.decide(needed(), false), 'open');
    assert.equal(episodes.decide({ accountId: 'a', pairing: undefined }, true), 'close');
    assert.equal(episodes.decide({ accountId: 'a', pairing: undefined }, false), 'none');
    assert.equal(episodes.decide(needed(), false), 'open');
  });
});
