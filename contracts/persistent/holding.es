{
  // A holding box (deployed, PlasmaHolding.ergo), the same for both sets: block rewards wait
  // here until the operator spends them, which it may only do by sending their value (and
  // token, if any) to Update command boxes — within 1% either way, the deployed margin for
  // rounding. The command box's value then funds the credits of an Update.
  val token       = SELF.tokens.getOrElse(0, (Coll(1.toByte), 0L))
  val updateBoxes = OUTPUTS.filter{ (b: Box) => blake2b256(b.propositionBytes) == _updateHash }
  def within1Percent(outAndIn: (Long, Long)): Boolean = {
    val percent = (outAndIn._1 - outAndIn._2) * 100L / outAndIn._2
    percent < 1L && percent > -1L
  }
  val ergOut = updateBoxes.fold(0L, { (z: Long, b: Box) => z + b.value })
  val ergValid = within1Percent((ergOut, SELF.value))
  if (token._2 != 0L) {
    val tokensOut = updateBoxes.fold(0L, { (z: Long, b: Box) => z + b.tokens(0)._2 })
    sigmaProp(allOf(Coll(
      ergValid,
      within1Percent((tokensOut, token._2)),
      updateBoxes.forall{ (b: Box) => b.tokens(0)._1 == token._1 }
    ))) && _operator
  } else {
    sigmaProp(ergValid) && _operator
  }
}
