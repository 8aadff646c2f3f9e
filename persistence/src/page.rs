//! Keyset pagination: rows come in a stable order of a unique key, and a page resumes after the
//! last key it saw. Page 10,000 costs what page 1 costs.

/// Which page to read: at most `limit` rows whose key is greater than `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<String>,
    pub limit: i64,
}

/// One page and the key to resume after, if more rows follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<String>,
}

impl<T> Page<T> {
    /// No rows: what a caller whose scope sees nothing gets.
    pub fn empty() -> Page<T> {
        Page {
            items: Vec::new(),
            next_after: None,
        }
    }

    /// Every row at once: for the short lists that belong to one record (a case's sessions).
    pub fn all(items: Vec<T>) -> Page<T> {
        Page {
            items,
            next_after: None,
        }
    }

    /// Builds a page from up to `limit + 1` rows: the extra row only proves that more follow.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_after = if more { rows.last().map(key) } else { None };
        Page {
            items: rows,
            next_after,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_after: self.next_after,
        }
    }

    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            next_after: self.next_after,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_with_an_extra_row_points_at_its_last_item() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next_after.as_deref(), Some("2"));
    }

    #[test]
    fn the_last_page_has_no_next_key() {
        let page = Page::from_rows(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next_after, None);
    }
}
