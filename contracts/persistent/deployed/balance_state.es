{
  // Design 2's state box as Getblok deployed it (GetBlok-io/Subpooling, branch mainnet_plasma,
  // conf/scripts/plasma/BalanceState.ergo), restated: R4 is the tree of balances owed,
  // tokens(0) the pool NFT. The operator signs every change; INPUTS(1) must be one of the
  // pool's four command boxes, whose script checks the change. Nothing here pins OUTPUTS(0)'s
  // script, its tokens or its tree's parameters: the weaknesses sharestate reports.
  val nextStateDefined = OUTPUTS(0).R4[AvlTree].isDefined
  val commandHash      = blake2b256(INPUTS(1).propositionBytes)
  val knownCommand     = _commandHashes.exists{ (h: Coll[Byte]) => h == commandHash }
  sigmaProp(nextStateDefined && knownCommand) && _operator
}
