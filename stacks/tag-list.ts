/**
 * Tag filters as one setting's text: `Key=Value,Key2=Value2` (SEEDSTACK_VPC_TAGS and the subnet
 * tag settings). A value may contain `=` (the first one splits); neither keys nor values may
 * contain a comma.
 */
import { TAG_KEY, TAG_VALUE } from "../modules/network-selection.js";

/** The parsed tags, or why the text is not a tag list. */
export type TagListResult = { readonly tags: Readonly<Record<string, string>> } | { readonly problem: string };

/** Parse `Key=Value,Key2=Value2`; every problem is a sentence naming the item. */
export function parseTagList(text: string): TagListResult {
  const items = text.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
  if (items.length === 0) return { problem: "no tags" };
  const tags: Record<string, string> = {};
  for (const item of items) {
    const equals = item.indexOf("=");
    if (equals < 0) return { problem: `${JSON.stringify(item)} has no "=": write Key=Value` };
    const key = item.slice(0, equals).trim();
    const value = item.slice(equals + 1).trim();
    if (key === "") return { problem: `${JSON.stringify(item)} has no key before "="` };
    if (!TAG_KEY.test(key)) return { problem: `tag key ${JSON.stringify(key)} is not 1-128 letters, digits, spaces or _.:/=+-@` };
    if (!TAG_VALUE.test(value)) return { problem: `tag ${key}'s value ${JSON.stringify(value)} is not 0-256 letters, digits, spaces or _.:/=+-@` };
    if (key in tags) return { problem: `tag ${key} is given twice` };
    tags[key] = value;
  }
  return { tags };
}
