/** What a project check decided, naming the rule that decided it so callers can say "refused by …". */
export interface ProjectDecision {
  permitted: boolean;
  rule: string;
}
