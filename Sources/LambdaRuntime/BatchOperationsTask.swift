/// One task of a batch job: one object.
public struct BatchOperationsTask: Sendable, Equatable {
    public var taskId: String
    /// The object, or why the task names none (reported `PermanentFailure`).
    public var ref: Result<ObjectRef, RecordingError>

    public init(taskId: String, ref: Result<ObjectRef, RecordingError>) {
        self.taskId = taskId
        self.ref = ref
    }
}
