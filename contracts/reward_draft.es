{
  // The reward box of an epoch on the seed's draft share-state contract: it can only be spent
  // together with a share-state box as INPUTS(0), whose contract then decides everything.
  // (The authors' test reward box could be spent by anyone.) As the draft does not check
  // OUTPUTS(1), this pairing is exactly as strong as the draft — see PROTOCOL.md.
  sigmaProp(blake2b256(INPUTS(0).propositionBytes) == _shareStateHash)
}
