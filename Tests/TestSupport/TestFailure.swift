/// A test's own failure (a fixture that could not be made, a child that did not start).
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
