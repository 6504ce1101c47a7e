package sum

// Input is the list the tests add up: the lesson's contract, not to be edited.
var Input = []int{1, 2, 3}
